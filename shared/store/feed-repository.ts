import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { lazyEnv } from '../config';
import { type FeedEntry, feedEntrySchema } from '../feed/schema';
import { documentClient } from './dynamo';
import { COUNTERS, feedKey, roundCollectionKey } from './keys';
import { queryAll, withoutKeys } from './query';

/**
 * The certified feed's entries, one collection per round in the cases table:
 *   pk = `FEED#<roundId>`, sk = `SEQ#<seq, 10 digits>`
 * Entries are appended in the same transaction as the change they record (recognition, province
 * decision, revocation), which also moves the round's feed counter (`ROUND#<roundId>` / `COUNTERS`,
 * attribute `feed`) under its version condition. So entry n+1 can only commit after entry n did,
 * and a strongly consistent query of the collection never shows a gap: a cursor resumes exactly.
 * (The base table is read, not the `feed` index: an index is eventually consistent and could show
 * entry n+1 before entry n.)
 */
const table = lazyEnv('CASES_TABLE');

export const feedCollectionKey = feedKey;
export const feedEntrySort = (seq: number) => `SEQ#${String(seq).padStart(10, '0')}`;

export interface RoundCounters {
  /** Optimistic-lock version of the counters item: every allocation moves it. */
  version: number;
  /** Last feed sequence number given (0 before the first entry). */
  feed: number;
  /** Last certificate sequence number given per kind. */
  brand: number;
  base: number;
}

export async function readCounters(roundId: string): Promise<RoundCounters> {
  const result = await documentClient().send(
    new GetCommand({
      TableName: table(),
      Key: { pk: roundCollectionKey(roundId), sk: COUNTERS },
      ConsistentRead: true,
    }),
  );
  const item = result.Item ?? {};
  const number = (value: unknown) => (typeof value === 'number' && Number.isSafeInteger(value) ? value : 0);
  return {
    version: number(item.version),
    feed: number(item.feed),
    brand: number(item.brand),
    base: number(item.base),
  };
}

/** The transaction items that move the counters (under their version) and append one entry. */
export function feedAppendItems(
  roundId: string,
  counters: RoundCounters,
  entry: FeedEntry,
  extraCounters: Record<string, number> = {},
) {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {
    ':version': counters.version,
    ':next': counters.version + 1,
    ':feed': entry.seq,
    ':entity': 'counters',
  };
  const sets = ['feed = :feed', 'version = :next', 'entity = :entity'];
  Object.entries(extraCounters).forEach(([name, value], i) => {
    names[`#c${i}`] = name;
    values[`:c${i}`] = value;
    sets.push(`#c${i} = :c${i}`);
  });
  return [
    {
      Update: {
        TableName: table(),
        Key: { pk: roundCollectionKey(roundId), sk: COUNTERS },
        ConditionExpression: 'attribute_not_exists(pk) OR version = :version',
        UpdateExpression: `SET ${sets.join(', ')}`,
        ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
        ExpressionAttributeValues: values,
      },
    },
    {
      Put: {
        TableName: table(),
        Item: {
          pk: feedCollectionKey(roundId),
          sk: feedEntrySort(entry.seq),
          entity: 'feed-entry',
          ...entry,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
  ];
}

/** Up to `limit` entries after `afterSeq`, in order, and whether more follow right now. */
export async function listFeedEntries(
  roundId: string,
  page: { afterSeq: number; limit: number },
): Promise<{ entries: FeedEntry[]; hasMore: boolean }> {
  const entries: FeedEntry[] = [];
  let startKey: Record<string, unknown> | undefined;
  // Ask for one more than the page to know whether more follow; keep reading if DynamoDB stops early.
  while (entries.length <= page.limit) {
    const result = await documentClient().send(
      new QueryCommand({
        TableName: table(),
        KeyConditionExpression: 'pk = :pk AND sk > :after',
        ExpressionAttributeValues: {
          ':pk': feedCollectionKey(roundId),
          ':after': feedEntrySort(page.afterSeq),
        },
        ConsistentRead: true,
        Limit: page.limit + 1 - entries.length,
        ExclusiveStartKey: startKey,
      }),
    );
    entries.push(...(result.Items ?? []).map(toEntry));
    startKey = result.LastEvaluatedKey;
    if (!startKey) break;
  }
  return { entries: entries.slice(0, page.limit), hasMore: entries.length > page.limit };
}

/** Every entry of a round's feed, in order (the export snapshot). */
export async function listAllFeedEntries(roundId: string): Promise<FeedEntry[]> {
  const items = await queryAll({
    TableName: table(),
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': feedCollectionKey(roundId) },
    ConsistentRead: true,
  });
  return items.map(toEntry);
}

/** A stored entry, validated: a damaged item fails loudly instead of reaching the province. */
function toEntry(item: Record<string, unknown>): FeedEntry {
  return feedEntrySchema.parse(withoutKeys(item));
}
