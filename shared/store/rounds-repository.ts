import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { lazyEnv } from '../config';
import { ConflictError } from '../errors';
import type { Kind } from '../rounds/schema';
import type { PassedOver } from '../rules/ranking';
import { documentClient } from './dynamo';
import {
  caseKey,
  objectionContactSort,
  objectionSort,
  rateSort,
  recommendedSort,
  roundCollectionKey,
  roundKey,
  SELECTION,
} from './keys';
import { queryAll, withoutKeys } from './query';

/**
 * Round-level acts kept in the cases table: the selection with its publicity window, the counties'
 * recommendations (for the dashboard), and the objections raised during publicity.
 */
const table = lazyEnv('CASES_TABLE');

/** A candidate as the publicity list shows it: the unit's public identity, nothing personal. */
export interface PublicityItem {
  caseId: string;
  kind: Kind;
  name: string;
  ownerUnit: string;
  countyName: string;
}

export interface SelectionRecord {
  roundId: string;
  selectedAt: string;
  selectedBy: string;
  /** The city's reasons, required when the selection departs from the proposed ranking. */
  opinion?: string;
  followsRanking: boolean;
  departures: PassedOver[];
  /** The cases listed as candidates, in the order published. */
  caseIds: string[];
  /** The cases that were waiting for selection and were not listed. */
  notSelected: string[];
  items: PublicityItem[];
  publicityStartsAt: string;
  publicityEndsAt: string;
  publicityWorkingDays: string[];
  calendarVersion: string;
}

/** Stores the round's selection, once: a second, different selection of the same round is a 409. */
export async function putSelection(selection: SelectionRecord): Promise<void> {
  try {
    await documentClient().send(
      new PutCommand({
        TableName: table(),
        Item: { pk: roundCollectionKey(selection.roundId), sk: SELECTION, entity: 'selection', ...selection },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) {
      throw new ConflictError('ALREADY_SELECTED', '本年度的候选名单已经确定', undefined, { cause: error });
    }
    throw error;
  }
}

export async function getSelection(roundId: string): Promise<SelectionRecord | undefined> {
  const result = await documentClient().send(
    new GetCommand({
      TableName: table(),
      Key: { pk: roundCollectionKey(roundId), sk: SELECTION },
      ConsistentRead: true,
    }),
  );
  return result.Item ? (withoutKeys(result.Item) as unknown as SelectionRecord) : undefined;
}

/** A county's recommendation of a case (the county approved its review). */
export async function putRecommendation(
  roundId: string,
  countyCode: string,
  caseId: string,
  at: string,
): Promise<void> {
  await documentClient().send(
    new PutCommand({
      TableName: table(),
      Item: {
        pk: roundCollectionKey(roundId),
        sk: recommendedSort(countyCode, caseId),
        entity: 'recommendation',
        countyCode,
        caseId,
        recommendedAt: at,
      },
    }),
  );
}

export async function deleteRecommendation(
  roundId: string,
  countyCode: string,
  caseId: string,
): Promise<void> {
  await documentClient().send(
    new DeleteCommand({
      TableName: table(),
      Key: { pk: roundCollectionKey(roundId), sk: recommendedSort(countyCode, caseId) },
    }),
  );
}

/** Recommended cases per county code. */
export async function countRecommendations(roundId: string): Promise<Map<string, number>> {
  const items = await queryAll({
    TableName: table(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': roundCollectionKey(roundId), ':prefix': 'RECOMMENDED#' },
    ProjectionExpression: 'countyCode',
  });
  const counts = new Map<string, number>();
  for (const item of items) {
    const code = String(item.countyCode);
    counts.set(code, (counts.get(code) ?? 0) + 1);
  }
  return counts;
}

export type ObjectionState = 'OPEN' | 'DISMISSED' | 'UPHELD';

/** An objection as staff see it: the phone only masked; the objector's name and phone live apart. */
export interface Objection {
  objectionId: string;
  caseId: string;
  roundId: string;
  reason: string;
  phoneMasked: string;
  receivedAt: string;
  state: ObjectionState;
  resolvedAt?: string;
  resolvedBy?: string;
}

/**
 * Stores an objection and, in the same transaction, the objector's real name and phone on an item of
 * their own that no API path reads (kept for the bureau to contact the objector; encrypted at rest
 * with the table's key like every item).
 */
export async function putObjection(
  objection: Objection,
  contact: { name: string; phone: string },
): Promise<void> {
  await documentClient().send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Put: {
            TableName: table(),
            Item: {
              pk: caseKey(objection.caseId),
              sk: objectionSort(objection.objectionId),
              entity: 'objection',
              ...objection,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Put: {
            TableName: table(),
            Item: {
              pk: caseKey(objection.caseId),
              sk: objectionContactSort(objection.objectionId),
              entity: 'objection-contact',
              objectionId: objection.objectionId,
              contactName: contact.name,
              contactPhone: contact.phone,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ],
    }),
  );
}

/** The objections of a case, oldest first (never their contact items). */
export async function listObjections(caseId: string): Promise<Objection[]> {
  const items = await queryAll({
    TableName: table(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': caseKey(caseId), ':prefix': objectionSort('') },
    ConsistentRead: true,
  });
  return items
    .map((item) => withoutKeys(item) as unknown as Objection)
    .sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
}

/** Marks open objections as decided by the objection review; returns the ones it changed. */
export async function resolveObjections(
  caseId: string,
  objectionIds: readonly string[],
  outcome: { state: Exclude<ObjectionState, 'OPEN'>; at: string; by: string },
): Promise<string[]> {
  const changed: string[] = [];
  for (const objectionId of objectionIds) {
    try {
      await documentClient().send(
        new UpdateCommand({
          TableName: table(),
          Key: { pk: caseKey(caseId), sk: objectionSort(objectionId) },
          ConditionExpression: '#state = :open',
          UpdateExpression: 'SET #state = :state, resolvedAt = :at, resolvedBy = :by',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: {
            ':open': 'OPEN',
            ':state': outcome.state,
            ':at': outcome.at,
            ':by': outcome.by,
          },
        }),
      );
      changed.push(objectionId);
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
  return changed;
}

/** Undoes `resolveObjections` when the workflow did not take the review's decision. */
export async function reopenObjections(caseId: string, objectionIds: readonly string[]): Promise<void> {
  for (const objectionId of objectionIds) {
    await documentClient().send(
      new UpdateCommand({
        TableName: table(),
        Key: { pk: caseKey(caseId), sk: objectionSort(objectionId) },
        UpdateExpression: 'SET #state = :open REMOVE resolvedAt, resolvedBy',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':open': 'OPEN' },
      }),
    );
  }
}

/**
 * Counts one request of a caller in a fixed window and says whether it is within `limit`. The caller
 * is a hash (never an address); the counter expires with the window (TTL, `expiresAt` in seconds).
 */
export async function withinRateLimit(
  roundId: string,
  bucket: { window: string; callerHash: string; limit: number; expiresAt: number },
): Promise<boolean> {
  try {
    await documentClient().send(
      new UpdateCommand({
        TableName: table(),
        Key: { pk: roundCollectionKey(roundId), sk: rateSort(bucket.window, bucket.callerHash) },
        ConditionExpression: 'attribute_not_exists(requests) OR requests < :limit',
        UpdateExpression: 'SET entity = :entity, expiresAt = :expiresAt ADD requests :one',
        ExpressionAttributeValues: {
          ':limit': bucket.limit,
          ':entity': 'rate',
          ':expiresAt': bucket.expiresAt,
          ':one': 1,
        },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** How many cases of a round are in each status (the byRound index, never a Scan). */
export async function countCasesByStatus(roundId: string): Promise<Record<string, number>> {
  const items = await queryAll({
    TableName: table(),
    IndexName: 'byRound',
    KeyConditionExpression: 'roundKey = :key',
    ExpressionAttributeValues: { ':key': roundKey(roundId) },
    ProjectionExpression: 'roundSort',
  });
  const counts: Record<string, number> = {};
  for (const item of items) {
    const status = String(item.roundSort).split('#')[0] ?? '';
    counts[status] = (counts[status] ?? 0) + 1;
  }
  return counts;
}
