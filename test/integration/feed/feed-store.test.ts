import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type DynamoDbLocal,
  ensureTables,
  localDynamoDbClient,
  startDynamoDbLocal,
} from '#local/dynamodb-local';
import { loadLocalTopology, synthTemplate } from '#local/template';
import type { Kind } from '#shared/rounds/schema';
import type { Recognition } from '#shared/store/recognition-repository';

// The feed's sequence against a real DynamoDB Local: appended in the change's own transaction.
let dynamo: DynamoDbLocal;
let raw: DynamoDBClient;
let recognitions: typeof import('#shared/store/recognition-repository');
let feed: typeof import('#shared/store/feed-repository');

beforeAll(async () => {
  const [started, template] = await Promise.all([startDynamoDbLocal(), synthTemplate()]);
  dynamo = started;
  raw = localDynamoDbClient(dynamo.endpoint);
  const tables = Object.values(loadLocalTopology(template).tables);
  await ensureTables(raw, tables);
  Object.assign(process.env, {
    CASES_TABLE: tables.find((table) => table.logicalId.startsWith('StorageCases'))?.tableName ?? '',
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
  });
  recognitions = await import('#shared/store/recognition-repository');
  feed = await import('#shared/store/feed-repository');
});
afterAll(async () => {
  raw?.destroy();
  await dynamo?.stop();
});

function recognitionOf(roundId: string, caseId: string, kind: Kind) {
  return ({ certificateSeq, feedSeq }: { certificateSeq: number; feedSeq: number }): Recognition => ({
    caseId,
    roundId,
    roundVersion: 1,
    kind,
    certificateNo: `LF-${roundId}-${kind === 'brand' ? 'PP' : 'JD'}-${String(certificateSeq).padStart(3, '0')}`,
    certificateSeq,
    feedSeq,
    certifiedAt: '2021-12-11T00:00:02.000Z',
    name: `名称${caseId}`,
    ownerUnit: '单位',
    ownerCreditCode: '91350100M000100Y43',
    countyCode: null,
    rewardYuan: 50000,
    plaqueIssued: false,
    recommendedToProvince: null,
  });
}

describe('the certified feed in DynamoDB', () => {
  it('numbers concurrent recognitions 1…n without gaps, per kind for certificates and across kinds for the feed', async () => {
    const roundId = '2031';
    const cases = Array.from({ length: 12 }, (_, i) => ({
      caseId: `case-${i}`,
      kind: (i % 3 ? 'brand' : 'base') as Kind,
    }));
    const done = await Promise.all(
      cases.map(({ caseId, kind }) =>
        recognitions.recognise(caseId, roundId, kind, recognitionOf(roundId, caseId, kind)),
      ),
    );
    const entries = await feed.listAllFeedEntries(roundId);
    expect(entries.map((entry) => entry.seq)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(entries.every((entry) => entry.type === 'certified')).toBe(true);
    expect(new Set(entries.map((entry) => entry.caseId))).toEqual(new Set(cases.map((c) => c.caseId)));
    const brands = done
      .filter((r) => r.kind === 'brand')
      .map((r) => r.certificateSeq)
      .sort((a, b) => a - b);
    expect(brands).toEqual(Array.from({ length: 8 }, (_, i) => i + 1));
    // Recognising again changes nothing.
    const again = await recognitions.recognise(
      'case-1',
      roundId,
      'brand',
      recognitionOf(roundId, 'case-1', 'brand'),
    );
    expect(again.certificateNo).toBe(done[1]?.certificateNo);
    expect((await feed.readCounters(roundId)).feed).toBe(12);
  });

  it('appends one province-decision entry however often and concurrently the decision is recorded', async () => {
    const roundId = '2032';
    await recognitions.recognise('p-1', roundId, 'brand', recognitionOf(roundId, 'p-1', 'brand'));
    const results = await Promise.all(
      [true, true, false].map((recommended) =>
        recognitions.recordProvinceDecision('p-1', {
          recommended,
          at: '2021-12-20T02:00:00.000Z',
          note: 'n',
        }),
      ),
    );
    expect(results.filter((result) => result.recorded)).toHaveLength(1);
    const entries = await feed.listAllFeedEntries(roundId);
    expect(entries.map((entry) => [entry.seq, entry.type])).toEqual([
      [1, 'certified'],
      [2, 'province-decision'],
    ]);
    const decided = results.find((result) => result.recorded)?.recognition.recommendedToProvince;
    expect(entries[1]?.recommendedToProvince).toBe(decided);
    expect((await recognitions.getRecognition('p-1'))?.recommendedToProvince).toBe(decided);
  });

  it('records a revocation once as an entry of its own, and the certificate no longer verifies as valid', async () => {
    const roundId = '2033';
    const recognised = await recognitions.recognise(
      'r-1',
      roundId,
      'base',
      recognitionOf(roundId, 'r-1', 'base'),
    );
    const first = await recognitions.revokeRecognition('r-1', {
      at: '2022-01-05T01:00:00.000Z',
      reason: '弄虚作假',
    });
    const second = await recognitions.revokeRecognition('r-1', {
      at: '2022-01-06T01:00:00.000Z',
      reason: '重复',
    });
    expect([first.recorded, second.recorded]).toEqual([true, false]);
    const entries = await feed.listAllFeedEntries(roundId);
    expect(entries.map((entry) => [entry.seq, entry.type, entry.certificateNo])).toEqual([
      [1, 'certified', recognised.certificateNo],
      [2, 'revoked', recognised.certificateNo],
    ]);
    expect((await recognitions.getRecognitionByCertificate(recognised.certificateNo))?.revokedAt).toBe(
      '2022-01-05T01:00:00.000Z',
    );
  });

  it('pages entries after a sequence number and says whether more follow', async () => {
    const roundId = '2031';
    const first = await feed.listFeedEntries(roundId, { afterSeq: 0, limit: 5 });
    const second = await feed.listFeedEntries(roundId, { afterSeq: 5, limit: 5 });
    const last = await feed.listFeedEntries(roundId, { afterSeq: 10, limit: 5 });
    const end = await feed.listFeedEntries(roundId, { afterSeq: 12, limit: 5 });
    expect([first, second, last, end].map((page) => [page.entries.map((e) => e.seq), page.hasMore])).toEqual([
      [[1, 2, 3, 4, 5], true],
      [[6, 7, 8, 9, 10], true],
      [[11, 12], false],
      [[], false],
    ]);
  });
});
