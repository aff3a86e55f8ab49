import type { S3EventRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import {
  decodeS3EventKey,
  encodeS3EventKey,
  matchesNotification,
  nextSequencer,
  normaliseS3Event,
  type S3rverEventRecord,
} from '#local/s3-local';

/** A record as s3rver 3.7.1 emits it for a browser POST: the key is not encoded. */
const s3rverRecord = (key: string, eventName = 'ObjectCreated:Post'): S3rverEventRecord => ({
  eventVersion: '2.0',
  eventSource: 'aws:s3',
  awsRegion: 'us-east-1',
  eventTime: '2026-11-26T09:00:00.000Z',
  eventName,
  userIdentity: { principalId: 'AWS:0123456789ABCDEF01234' },
  requestParameters: { sourceIPAddress: '127.0.0.1' },
  responseElements: { 'x-amz-request-id': '0123456789ABCDEF', 'x-amz-id-2': 'aWQy' },
  s3: {
    s3SchemaVersion: '1.0',
    configurationId: 'testConfigId',
    bucket: {
      name: 'laowu-storage-evidence',
      ownerIdentity: { principalId: '0123456789ABCD' },
      arn: 'arn:aws:s3: : :laowu-storage-evidence',
    },
    object: { key, size: 12, eTag: 'd41d8cd98f00b204e9800998ecf8427e', sequencer: '19AC0D2E5F1' },
  },
});

describe('encodeS3EventKey', () => {
  it('encodes Chinese characters as UTF-8 bytes and a space as +', () => {
    expect(encodeS3EventKey('花名册 2021.xlsx')).toBe('%E8%8A%B1%E5%90%8D%E5%86%8C+2021.xlsx');
  });

  it('encodes a literal + as %2B so it cannot be read as a space', () => {
    expect(encodeS3EventKey('a+b c.pdf')).toBe('a%2Bb+c.pdf');
  });

  it('encodes a literal %2B so it does not decode to +', () => {
    expect(encodeS3EventKey('a%2Bb.pdf')).toBe('a%252Bb.pdf');
  });

  it('keeps / and the characters Java form encoding keeps, encodes the rest', () => {
    expect(encodeS3EventKey("rounds/2021/x=1:(copy)!~'*_.-.pdf")).toBe(
      'rounds/2021/x%3D1%3A%28copy%29%21%7E%27*_.-.pdf',
    );
  });

  it('decodes back to the exact key, as a handler does', () => {
    for (const key of [
      '花名册 2021.xlsx',
      'a+b.pdf',
      'a%2Bb.pdf',
      'a b+c%20d',
      "r/(1) copy!~'*.xlsx",
      'x/y/ z /',
    ]) {
      const encoded = encodeS3EventKey(key);
      expect(decodeS3EventKey(encoded)).toBe(key);
      expect(decodeURIComponent(encoded.replace(/\+/g, ' '))).toBe(key);
    }
  });
});

describe('normaliseS3Event', () => {
  it('turns an s3rver record into the AWS record shape', () => {
    const record = normaliseS3Event(s3rverRecord('rounds/2021/cases/c-1/roster/花名册 2021.xlsx'), {
      region: 'cn-north-1',
      sequencer: '0000019AC0D2E5F1',
    });
    expect(record).toEqual({
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: 'cn-north-1',
      eventTime: '2026-11-26T09:00:00.000Z',
      eventName: 'ObjectCreated:Post',
      userIdentity: { principalId: 'AWS:0123456789ABCDEF01234' },
      requestParameters: { sourceIPAddress: '127.0.0.1' },
      responseElements: { 'x-amz-request-id': '0123456789ABCDEF', 'x-amz-id-2': 'aWQy' },
      s3: {
        s3SchemaVersion: '1.0',
        configurationId: 'testConfigId',
        bucket: {
          name: 'laowu-storage-evidence',
          ownerIdentity: { principalId: '0123456789ABCD' },
          arn: 'arn:aws:s3:::laowu-storage-evidence',
        },
        object: {
          key: 'rounds/2021/cases/c-1/roster/%E8%8A%B1%E5%90%8D%E5%86%8C+2021.xlsx',
          size: 12,
          eTag: 'd41d8cd98f00b204e9800998ecf8427e',
          sequencer: '0000019AC0D2E5F1',
        },
      },
    });
  });

  it('encodes + as %2B and a space as +', () => {
    const plus = normaliseS3Event(s3rverRecord('rounds/a+b.pdf'), { region: 'us-east-1' });
    const space = normaliseS3Event(s3rverRecord('rounds/a b.pdf'), { region: 'us-east-1' });
    const percent = normaliseS3Event(s3rverRecord('rounds/a%2Bb.pdf'), { region: 'us-east-1' });
    expect([plus.s3.object.key, space.s3.object.key, percent.s3.object.key]).toEqual([
      'rounds/a%2Bb.pdf',
      'rounds/a+b.pdf',
      'rounds/a%252Bb.pdf',
    ]);
  });

  it('takes the event name it is given (multipart completion) and keeps a versionId when there is one', () => {
    const raw = s3rverRecord('rounds/big.xlsx');
    const record = normaliseS3Event(
      { ...raw, s3: { ...raw.s3, object: { ...raw.s3.object, versionId: 'v1' } } },
      { region: 'us-east-1', eventName: 'ObjectCreated:CompleteMultipartUpload' },
    );
    expect(record.eventName).toBe('ObjectCreated:CompleteMultipartUpload');
    expect(record.s3.object.versionId).toBe('v1');
  });

  it('numbers events with fixed-width hex sequencers that grow, even within one millisecond', () => {
    const sequencers = Array.from(
      { length: 5 },
      () => normaliseS3Event(s3rverRecord('k'), { region: 'us-east-1' }).s3.object.sequencer,
    );
    for (const sequencer of sequencers) expect(sequencer).toMatch(/^[0-9A-F]{16}$/);
    expect([...sequencers].sort()).toEqual(sequencers);
    expect(new Set(sequencers).size).toBe(sequencers.length);
  });

  it('keeps growing when the clock steps back', () => {
    const now = Date.now() + 60_000;
    const first = nextSequencer(now);
    const second = nextSequencer(now - 5_000);
    expect(second > first).toBe(true);
  });
});

describe('matchesNotification', () => {
  const record = (key: string, eventName = 'ObjectCreated:Post'): S3EventRecord =>
    normaliseS3Event(s3rverRecord(key, eventName), { region: 'us-east-1' });
  const evidence = { events: ['s3:ObjectCreated:*'], prefix: 'rounds/' };

  it('selects created objects under the prefix, whatever the creation', () => {
    expect(matchesNotification(evidence, record('rounds/2021/花名册 2021.xlsx'))).toBe(true);
    expect(matchesNotification(evidence, record('rounds/x', 'ObjectCreated:Put'))).toBe(true);
    expect(matchesNotification(evidence, record('rounds/x', 'ObjectCreated:CompleteMultipartUpload'))).toBe(
      true,
    );
  });

  it('leaves out keys outside the prefix and other event types', () => {
    expect(matchesNotification(evidence, record('quarantine/rounds/x'))).toBe(false);
    expect(matchesNotification(evidence, record('rounds/x', 'ObjectRemoved:Delete'))).toBe(false);
  });

  it('filters on the decoded key: a prefix with a space or a Chinese character matches', () => {
    expect(
      matchesNotification({ events: ['s3:ObjectCreated:*'], prefix: '花名册 ' }, record('花名册 2021.xlsx')),
    ).toBe(true);
  });

  it('matches a specific event name exactly and applies a suffix', () => {
    const putXlsx = { events: ['s3:ObjectCreated:Put'], suffix: '.xlsx' };
    expect(matchesNotification(putXlsx, record('a b.xlsx', 'ObjectCreated:Put'))).toBe(true);
    expect(matchesNotification(putXlsx, record('a b.xlsx', 'ObjectCreated:Post'))).toBe(false);
    expect(matchesNotification(putXlsx, record('a b.pdf', 'ObjectCreated:Put'))).toBe(false);
  });
});
