import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { lazyEnv } from '../config';
import type { FeedEntry, FeedEntryType } from '../feed/schema';
import type { Kind } from '../rounds/schema';
import { documentClient } from './dynamo';
import { feedAppendItems, readCounters } from './feed-repository';
import { caseKey, certificateKey, RECOGNITION } from './keys';
import { withoutKeys } from './query';

const table = lazyEnv('CASES_TABLE');

/**
 * A recognised case (认定授牌): its certificate number, the one-time reward and the province
 * decision. Each change of it — the recognition, the province decision, a revocation — appends an
 * entry to the round's certified feed in the same transaction (`feed-repository.ts`).
 */
export interface Recognition {
  caseId: string;
  roundId: string;
  roundVersion: number;
  kind: Kind;
  certificateNo: string;
  /** Position of the certificate among the round's certificates of this kind (1, 2, …). */
  certificateSeq: number;
  /** Position of its `certified` entry in the round's feed, across kinds (1, 2, …). */
  feedSeq: number;
  certifiedAt: string;
  name: string;
  ownerUnit: string;
  ownerCreditCode: string;
  countyCode: string | null;
  /** One-time reward (一次性奖励), in yuan, from the round. */
  rewardYuan: number;
  /** The plaque (授牌) is due with the certificate; handing it over is recorded by the bureau. */
  plaqueIssued: boolean;
  /** The city's decision to recommend the case to the province: null until decided. */
  recommendedToProvince: boolean | null;
  provinceDecidedAt?: string;
  provinceDecisionNote?: string;
  /** A withdrawn recognition (认定撤销): the certificate no longer verifies as valid. */
  revokedAt?: string;
  revocationReason?: string;
}

export async function getRecognition(caseId: string): Promise<Recognition | undefined> {
  const result = await documentClient().send(
    new GetCommand({
      TableName: table(),
      Key: { pk: caseKey(caseId), sk: RECOGNITION },
      ConsistentRead: true,
    }),
  );
  return result.Item ? (withoutKeys(result.Item, ['feedKey']) as unknown as Recognition) : undefined;
}

/** A recognition looked up by its certificate number (public verification). */
export async function getRecognitionByCertificate(certificateNo: string): Promise<Recognition | undefined> {
  const result = await documentClient().send(
    new GetCommand({ TableName: table(), Key: { pk: certificateKey(certificateNo), sk: 'CERTIFICATE' } }),
  );
  const caseId = result.Item?.caseId;
  return typeof caseId === 'string' ? getRecognition(caseId) : undefined;
}

/** The feed entry recording a recognition's state after a change. */
export function feedEntryOf(
  recognition: Recognition,
  change: { seq: number; type: FeedEntryType; at: string },
): FeedEntry {
  return {
    seq: change.seq,
    type: change.type,
    certificateNo: recognition.certificateNo,
    kind: recognition.kind,
    name: recognition.name,
    ownerUnit: recognition.ownerUnit,
    ownerCreditCode: recognition.ownerCreditCode,
    countyCode: recognition.countyCode,
    certifiedAt: recognition.certifiedAt,
    recommendedToProvince: recognition.recommendedToProvince,
    roundId: recognition.roundId,
    caseId: recognition.caseId,
    recordedAt: change.at,
  };
}

/** Enough for dozens of certifications of one round racing (normally one or two at a time). */
const MAX_ALLOCATION_ATTEMPTS = 40;

/** Changes of one round race on its counters item: the loser reads again and retries. */
async function withAllocationRetry<T>(attempt: () => Promise<T>): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof TransactionCanceledException) || n >= MAX_ALLOCATION_ATTEMPTS) throw error;
    }
    // Full jitter, capped: racing writers spread out instead of colliding again in lockstep.
    await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(250, 10 * 2 ** n)));
  }
}

/**
 * Recognises a case exactly once, allocating the next certificate number of its round and kind and
 * the next feed position in the same transaction as the recognition item, the number's lookup item
 * and the `certified` feed entry: numbers are gapless and never given twice, even when
 * certifications of a round run at once. A case already recognised keeps its number.
 */
export async function recognise(
  caseId: string,
  roundId: string,
  kind: Kind,
  build: (seqs: { certificateSeq: number; feedSeq: number }) => Recognition,
): Promise<Recognition> {
  return withAllocationRetry(async () => {
    const existing = await getRecognition(caseId);
    if (existing) return existing;

    const counters = await readCounters(roundId);
    const certificateSeq = counters[kind] + 1;
    const feedSeq = counters.feed + 1;
    const recognition = build({ certificateSeq, feedSeq });
    const entry = feedEntryOf(recognition, { seq: feedSeq, type: 'certified', at: recognition.certifiedAt });

    await documentClient().send(
      new TransactWriteCommand({
        TransactItems: [
          ...feedAppendItems(roundId, counters, entry, { [kind]: certificateSeq }),
          {
            Put: {
              TableName: table(),
              Item: { pk: caseKey(caseId), sk: RECOGNITION, entity: 'recognition', ...recognition },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Put: {
              TableName: table(),
              Item: {
                pk: certificateKey(recognition.certificateNo),
                sk: 'CERTIFICATE',
                entity: 'certificate',
                caseId,
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ],
      }),
    );
    return recognition;
  });
}

/**
 * Records the city's province-recommendation decision on the recognition and appends its
 * `province-decision` feed entry, together and once: a decision already recorded is returned as it
 * was (`recorded: false`), whoever asks again.
 */
export async function recordProvinceDecision(
  caseId: string,
  decision: { recommended: boolean; at: string; note: string },
): Promise<{ recognition: Recognition; recorded: boolean }> {
  return withAllocationRetry(async () => {
    const current = await getRecognition(caseId);
    if (!current) throw new Error(`case ${caseId} has no recognition`);
    if (current.recommendedToProvince !== null && current.recommendedToProvince !== undefined) {
      return { recognition: current, recorded: false };
    }
    const counters = await readCounters(current.roundId);
    const recognition: Recognition = {
      ...current,
      recommendedToProvince: decision.recommended,
      provinceDecidedAt: decision.at,
      provinceDecisionNote: decision.note,
    };
    const entry = feedEntryOf(recognition, {
      seq: counters.feed + 1,
      type: 'province-decision',
      at: decision.at,
    });
    await documentClient().send(
      new TransactWriteCommand({
        TransactItems: [
          ...feedAppendItems(current.roundId, counters, entry),
          {
            Update: {
              TableName: table(),
              Key: { pk: caseKey(caseId), sk: RECOGNITION },
              ConditionExpression:
                'attribute_exists(pk) AND (attribute_not_exists(recommendedToProvince) OR recommendedToProvince = :undecided)',
              UpdateExpression:
                'SET recommendedToProvince = :recommended, provinceDecidedAt = :at, provinceDecisionNote = :note',
              ExpressionAttributeValues: {
                ':undecided': null,
                ':recommended': decision.recommended,
                ':at': decision.at,
                ':note': decision.note,
              },
            },
          },
        ],
      }),
    );
    return { recognition, recorded: true };
  });
}

/**
 * Withdraws a recognition (认定撤销) once, appending its `revoked` feed entry: the certificate then
 * verifies as not valid and the province's next pull learns of it. Nothing in the workflow revokes
 * yet; the entry type exists so the feed's contract already carries it.
 */
export async function revokeRecognition(
  caseId: string,
  revocation: { at: string; reason: string },
): Promise<{ recognition: Recognition; recorded: boolean }> {
  return withAllocationRetry(async () => {
    const current = await getRecognition(caseId);
    if (!current) throw new Error(`case ${caseId} has no recognition`);
    if (current.revokedAt) return { recognition: current, recorded: false };
    const counters = await readCounters(current.roundId);
    const recognition: Recognition = {
      ...current,
      revokedAt: revocation.at,
      revocationReason: revocation.reason,
    };
    const entry = feedEntryOf(recognition, { seq: counters.feed + 1, type: 'revoked', at: revocation.at });
    await documentClient().send(
      new TransactWriteCommand({
        TransactItems: [
          ...feedAppendItems(current.roundId, counters, entry),
          {
            Update: {
              TableName: table(),
              Key: { pk: caseKey(caseId), sk: RECOGNITION },
              ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(revokedAt)',
              UpdateExpression: 'SET revokedAt = :at, revocationReason = :reason',
              ExpressionAttributeValues: { ':at': revocation.at, ':reason': revocation.reason },
            },
          },
        ],
      }),
    );
    return { recognition, recorded: true };
  });
}
