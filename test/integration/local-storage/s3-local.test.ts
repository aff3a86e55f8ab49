import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import type { S3EventRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodeS3EventKey,
  matchesNotification,
  S3_LOCAL_CREDENTIALS,
  type S3Local,
  startS3Local,
} from '#local/s3-local';
import { type LocalBucket, loadLocalTopology, synthTemplate } from '#local/template';

/**
 * s3rver with the buckets and CORS rules of the real template, and its events as AWS delivers
 * them. The clients switch off the SDK's default checksums: with them, stream bodies are sent
 * aws-chunked and s3rver stores the chunk framing (functions need AWS_REQUEST_CHECKSUM_CALCULATION
 * and AWS_RESPONSE_CHECKSUM_VALIDATION = when_required for the same reason).
 */
const ORIGIN = 'http://127.0.0.1:3000';
const md5 = (body: string | Uint8Array) => createHash('md5').update(body).digest('hex');

const s3Client = (endpoint: string) =>
  new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: S3_LOCAL_CREDENTIALS,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });

let evidence: LocalBucket;
let buckets: LocalBucket[];
let s3: S3Local;
let client: S3Client;
const records: S3EventRecord[] = [];
const waiters: { key: string; resolve: (record: S3EventRecord) => void }[] = [];

/** The record delivered for an object key (the decoded key), once it arrives. */
function recordFor(key: string, timeoutMs = 10_000): Promise<S3EventRecord> {
  const seen = records.find((record) => decodeS3EventKey(record.s3.object.key) === key);
  if (seen) return Promise.resolve(seen);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no event for ${key}`)), timeoutMs);
    waiters.push({
      key,
      resolve: (record) => {
        clearTimeout(timer);
        resolve(record);
      },
    });
  });
}

beforeAll(async () => {
  const topology = loadLocalTopology(await synthTemplate());
  buckets = Object.values(topology.buckets);
  const withNotifications = buckets.find((bucket) => bucket.notifications.length > 0);
  if (!withNotifications) throw new Error('the template has no bucket with notifications');
  evidence = withNotifications;
  s3 = await startS3Local({
    buckets: buckets.map((bucket) => ({ name: bucket.name, cors: bucket.cors })),
    onObjectCreated: (record) => {
      records.push(record);
      const key = decodeS3EventKey(record.s3.object.key);
      for (const waiter of waiters.filter((candidate) => candidate.key === key)) waiter.resolve(record);
    },
  });
  console.info(`s3rver listening after ${s3.startupMs} ms`);
  client = s3Client(s3.endpoint);
}, 120_000);

afterAll(async () => {
  client?.destroy();
  await s3?.stop();
});

describe('uploads from a browser (presigned POST)', () => {
  it('delivers an AWS-shaped record whose URL-encoded key decodes to the exact key', async () => {
    const key = 'rounds/2021/cases/c-1/roster/花名册 2021.xlsx';
    const body = 'PK\u0003\u0004 roster bytes';
    const { url, fields } = await createPresignedPost(client, {
      Bucket: evidence.name,
      Key: key,
      Conditions: [['content-length-range', 1, 10_000_000]],
      Expires: 300,
    });
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    form.append('file', new Blob([body]), 'roster.xlsx');

    const response = await fetch(url, { method: 'POST', body: form, headers: { origin: ORIGIN } });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(ORIGIN);

    const record = await recordFor(key);
    expect(record).toMatchObject({
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: 'us-east-1',
      eventName: 'ObjectCreated:Post',
      s3: {
        bucket: { name: evidence.name, arn: `arn:aws:s3:::${evidence.name}` },
        object: {
          key: 'rounds/2021/cases/c-1/roster/%E8%8A%B1%E5%90%8D%E5%86%8C+2021.xlsx',
          size: Buffer.byteLength(body),
          eTag: md5(body),
        },
      },
    });
    expect(record.s3.object.sequencer).toMatch(/^[0-9A-F]{16}$/);
    expect(decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '))).toBe(key);
    expect(matchesNotification(evidence.notifications[0] ?? { events: [] }, record)).toBe(true);

    const stored = await client.send(new GetObjectCommand({ Bucket: evidence.name, Key: key }));
    expect(await stored.Body?.transformToString()).toBe(body);
  });

  it('answers the CORS preflight of the console origin and refuses other origins', async () => {
    const preflight = (origin: string) =>
      fetch(`${s3.endpoint}/${evidence.name}`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST' },
      });
    const allowed = await preflight(ORIGIN);
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-methods')).toContain('POST');
    expect((await preflight('https://evil.example')).status).toBe(403);
  });
});

describe('other ways objects are created', () => {
  it('reports a PUT with + in the key as %2B', async () => {
    const key = 'rounds/2021/cases/c-1/photos/a+b 1.jpg';
    const body = new Uint8Array(1024 * 1024).map((_, i) => i % 251);
    await client.send(new PutObjectCommand({ Bucket: evidence.name, Key: key, Body: body }));

    const record = await recordFor(key);
    expect(record.eventName).toBe('ObjectCreated:Put');
    expect(record.s3.object.key).toBe('rounds/2021/cases/c-1/photos/a%2Bb+1.jpg');
    expect(record.s3.object.eTag).toBe(md5(body));
    // The stored bytes are the uploaded bytes: no aws-chunked framing.
    const stored = await client.send(new GetObjectCommand({ Bucket: evidence.name, Key: key }));
    expect(md5((await stored.Body?.transformToByteArray()) ?? new Uint8Array())).toBe(md5(body));
  });

  it('copies from a URL-encoded copy source as AWS does, and reports the copy with its ETag', async () => {
    const source = 'rounds/2021/cases/c-1/原件 a+b,c:1.txt';
    const target = 'rounds/2021/cases/c-1/copy-target.txt';
    await client.send(new PutObjectCommand({ Bucket: evidence.name, Key: source, Body: 'copied' }));
    // AWS expects the copy source URL-encoded and decodes it fully (s3rver alone would not: `%2B`).
    const copySource = `${evidence.name}/${source.split('/').map(encodeURIComponent).join('/')}`;
    await client.send(new CopyObjectCommand({ Bucket: evidence.name, Key: target, CopySource: copySource }));
    const record = await recordFor(target);
    expect(record.eventName).toBe('ObjectCreated:Copy');
    expect(record.s3.object.eTag).toBe(md5('copied'));
  });

  it('reports a completed multipart upload as CompleteMultipartUpload', async () => {
    const key = 'rounds/2021/cases/c-1/video/big file.mp4';
    const { UploadId } = await client.send(
      new CreateMultipartUploadCommand({ Bucket: evidence.name, Key: key }),
    );
    const part = await client.send(
      new UploadPartCommand({ Bucket: evidence.name, Key: key, UploadId, PartNumber: 1, Body: 'only part' }),
    );
    await client.send(
      new CompleteMultipartUploadCommand({
        Bucket: evidence.name,
        Key: key,
        UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] },
      }),
    );
    const record = await recordFor(key);
    expect(record.eventName).toBe('ObjectCreated:CompleteMultipartUpload');
    expect(record.s3.object.key).toBe('rounds/2021/cases/c-1/video/big+file.mp4');
  });

  it('forwards no deletes, and forwards keys outside the prefix for the router to drop', async () => {
    const deleted = 'rounds/2021/cases/c-1/deleted.txt';
    await client.send(new PutObjectCommand({ Bucket: evidence.name, Key: deleted, Body: 'x' }));
    await recordFor(deleted);
    const before = records.length;
    await client.send(new DeleteObjectCommand({ Bucket: evidence.name, Key: deleted }));
    // An event that arrives after the delete proves the delete's turn has passed.
    const outside = 'quarantine/elsewhere.txt';
    await client.send(new PutObjectCommand({ Bucket: evidence.name, Key: outside, Body: 'x' }));
    const record = await recordFor(outside);
    expect(records.slice(before).map((r) => r.eventName)).toEqual(['ObjectCreated:Put']);
    expect(records.every((r) => r.eventName.startsWith('ObjectCreated:'))).toBe(true);
    expect(matchesNotification(evidence.notifications[0] ?? { events: [] }, record)).toBe(false);
  });

  it('numbers the events of this process with growing sequencers', () => {
    const sequencers = records.map((record) => record.s3.object.sequencer);
    expect(sequencers.length).toBeGreaterThan(3);
    expect([...sequencers].sort()).toEqual(sequencers);
    expect(new Set(sequencers).size).toBe(sequencers.length);
  });
});

describe('data directories', () => {
  it('keeps objects in a data directory across restarts and removes a temporary one on stop', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'laowu-s3-test-'));
    const bucket = { name: evidence.name, cors: evidence.cors };
    try {
      const first = await startS3Local({ dataDir, buckets: [bucket] });
      const firstClient = s3Client(first.endpoint);
      await firstClient.send(
        new PutObjectCommand({ Bucket: bucket.name, Key: 'rounds/kept.txt', Body: 'kept' }),
      );
      firstClient.destroy();
      await first.stop();

      const second = await startS3Local({ dataDir, buckets: [bucket] });
      const secondClient = s3Client(second.endpoint);
      const kept = await secondClient.send(
        new GetObjectCommand({ Bucket: bucket.name, Key: 'rounds/kept.txt' }),
      );
      expect(await kept.Body?.transformToString()).toBe('kept');
      secondClient.destroy();
      await second.stop();
      expect(existsSync(dataDir)).toBe(true);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }

    const temporary = await startS3Local({ buckets: [bucket] });
    expect(existsSync(temporary.dataDir)).toBe(true);
    await temporary.stop();
    expect(existsSync(temporary.dataDir)).toBe(false);
  });
});
