import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { lazyEnv } from '../config';
import type { Kind } from '../rounds/schema';
import { documentClient } from './dynamo';
import { COUNTERS, caseKey, certificateKey, feedKey, RECOGNITION, roundCollectionKey } from './keys';
import { withoutKeys } from './query';

const table = lazyEnv('CASES_TABLE');

/**
 * A recognised case (认定授牌): its certificate number, the one-time reward and the province
 * decision. The item also carries the certified feed's index keys (`feedKey`, `feedSeq`), so the
 * province feed reads the round's recognitions in order without touching anything else.
 */
export interface Recognition {
  caseId: string;
  roundId: string;
  roundVersion: number;
  kind: Kind;
  certificateNo: string;
  /** Position of the certificate among the round's certificates of this kind (1, 2, …). */
  certificateSeq: number;
  /** Position in the round's certified feed, across kinds (1, 2, …). */
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

const MAX_ALLOCATION_ATTEMPTS = 10;

/**
 * Recognises a case exactly once, allocating the next certificate number of its round and kind and
 * the next feed position in the same transaction as the recognition item and the number's lookup
 * item: numbers are gapless and never given twice, even when certifications of a round run at once
 * (a lost race re-reads the counters and tries again). A case already recognised keeps its number.
 */
export async function recognise(
  caseId: string,
  roundId: string,
  kind: Kind,
  build: (seqs: { certificateSeq: number; feedSeq: number }) => Recognition,
): Promise<Recognition> {
  for (let attempt = 1; ; attempt++) {
    const existing = await getRecognition(caseId);
    if (existing) return existing;

    const counters = await documentClient().send(
      new GetCommand({
        TableName: table(),
        Key: { pk: roundCollectionKey(roundId), sk: COUNTERS },
        ConsistentRead: true,
      }),
    );
    const version = Number(counters.Item?.version ?? 0);
    const certificateSeq = Number(counters.Item?.[kind] ?? 0) + 1;
    const feedSeq = Number(counters.Item?.feed ?? 0) + 1;
    const recognition = build({ certificateSeq, feedSeq });

    try {
      await documentClient().send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: table(),
                Key: { pk: roundCollectionKey(roundId), sk: COUNTERS },
                ConditionExpression: 'attribute_not_exists(pk) OR version = :version',
                UpdateExpression: 'SET #kind = :seq, feed = :feed, version = :next, entity = :entity',
                ExpressionAttributeNames: { '#kind': kind },
                ExpressionAttributeValues: {
                  ':version': version,
                  ':next': version + 1,
                  ':seq': certificateSeq,
                  ':feed': feedSeq,
                  ':entity': 'counters',
                },
              },
            },
            {
              Put: {
                TableName: table(),
                Item: {
                  pk: caseKey(caseId),
                  sk: RECOGNITION,
                  entity: 'recognition',
                  ...recognition,
                  feedKey: feedKey(roundId),
                },
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
    } catch (error) {
      // Another certification took these numbers first, or this case was recognised meanwhile:
      // read again and decide afresh.
      if (error instanceof TransactionCanceledException && attempt < MAX_ALLOCATION_ATTEMPTS) {
        await new Promise((resolve) => setTimeout(resolve, 20 * attempt + Math.random() * 30));
        continue;
      }
      throw error;
    }
  }
}

/** Records the city's province-recommendation decision on the recognition. */
export async function recordProvinceDecision(
  caseId: string,
  decision: { recommended: boolean; at: string; note: string },
): Promise<void> {
  await documentClient().send(
    new UpdateCommand({
      TableName: table(),
      Key: { pk: caseKey(caseId), sk: RECOGNITION },
      ConditionExpression: 'attribute_exists(pk)',
      UpdateExpression:
        'SET recommendedToProvince = :recommended, provinceDecidedAt = :at, provinceDecisionNote = :note',
      ExpressionAttributeValues: {
        ':recommended': decision.recommended,
        ':at': decision.at,
        ':note': decision.note,
      },
    }),
  );
}
