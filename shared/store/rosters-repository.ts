import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { lazyEnv } from '../config';
import type { CrossCaseSummary, RosterSlotStats } from '../roster-processing/stats';
import { documentClient } from './dynamo';
import { caseKey, evidenceSort, rosterSort } from './keys';

/**
 * Roster results on a case: the stats of each roster slot (`ROSTER#<slot>`), the parse progress on
 * the evidence item, and the notices a case receives when a later roster of another case claims
 * some of its people (`CROSSCASE#<otherCaseId>#<slot>`). No plain ID or phone number is ever
 * written here: stats carry counts and masked messages, the cross-case notices counts and case ids.
 */
const table = lazyEnv('CASES_TABLE');

const crossCaseSort = (otherCaseId: string, slot: string) => `CROSSCASE#${otherCaseId}#${slot}`;

/**
 * Stores the stats of a slot unless the stored ones come from a later reservation (the newest
 * upload of a slot wins, whatever order the events are processed in). Returns false when stale.
 */
export async function putRosterStats(caseId: string, stats: RosterSlotStats): Promise<boolean> {
  try {
    await documentClient().send(
      new PutCommand({
        TableName: table(),
        Item: { pk: caseKey(caseId), sk: rosterSort(stats.slot), entity: 'roster', ...stats },
        ConditionExpression: 'attribute_not_exists(pk) OR reservedAt <= :reservedAt',
        ExpressionAttributeValues: { ':reservedAt': stats.reservedAt },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** The stored stats item of a slot, as stored (the rules validate what they read). */
export async function getRosterStats(
  caseId: string,
  slot: string,
): Promise<Record<string, unknown> | undefined> {
  const result = await documentClient().send(
    new GetCommand({
      TableName: table(),
      Key: { pk: caseKey(caseId), sk: rosterSort(slot) },
      ConsistentRead: true,
    }),
  );
  if (!result.Item) return undefined;
  const { pk: _pk, sk: _sk, entity: _entity, ...stats } = result.Item;
  return stats;
}

/** The cross-case claims of a slot's roster, once the person index is written (only for that upload). */
export async function recordCrossCase(
  caseId: string,
  slot: string,
  evidenceId: string,
  crossCase: CrossCaseSummary,
): Promise<void> {
  try {
    await documentClient().send(
      new UpdateCommand({
        TableName: table(),
        Key: { pk: caseKey(caseId), sk: rosterSort(slot) },
        ConditionExpression: 'evidenceId = :evidenceId',
        UpdateExpression: 'SET crossCase = :crossCase',
        ExpressionAttributeValues: { ':evidenceId': evidenceId, ':crossCase': crossCase },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}

export interface RosterProgressRecord {
  rowsRead: number;
  percent?: number;
  at: string;
}

/** Parse progress on the evidence item, while it is still being verified (a late write is dropped). */
export async function recordRosterProgress(
  caseId: string,
  evidenceId: string,
  progress: RosterProgressRecord,
): Promise<void> {
  try {
    await documentClient().send(
      new UpdateCommand({
        TableName: table(),
        Key: { pk: caseKey(caseId), sk: evidenceSort(evidenceId) },
        ConditionExpression: '#status = :pending',
        UpdateExpression: 'SET progress = :progress',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':pending': 'PENDING', ':progress': progress },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}

export interface CrossCaseNotice {
  /** The case whose roster claims people of this case. */
  otherCaseId: string;
  /** Its roster slot. */
  otherSlot: string;
  /** People of that roster this case claims too. */
  persons: number;
  at: string;
}

/** Tells `caseId` that a roster of another case claims some of its people (idempotent: a put). */
export async function putCrossCaseNotice(caseId: string, notice: CrossCaseNotice): Promise<void> {
  await documentClient().send(
    new PutCommand({
      TableName: table(),
      Item: {
        pk: caseKey(caseId),
        sk: crossCaseSort(notice.otherCaseId, notice.otherSlot),
        entity: 'crossCase',
        ...notice,
      },
    }),
  );
}

/** Withdraws a notice when the other case's new roster no longer shares anyone. */
export async function deleteCrossCaseNotice(
  caseId: string,
  otherCaseId: string,
  otherSlot: string,
): Promise<void> {
  await documentClient().send(
    new DeleteCommand({
      TableName: table(),
      Key: { pk: caseKey(caseId), sk: crossCaseSort(otherCaseId, otherSlot) },
    }),
  );
}
