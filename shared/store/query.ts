import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { documentClient } from './dynamo';

/** Every page of a query: collections and index partitions are small, but never assume one page. */
export async function queryAll(
  input: Omit<QueryCommandInput, 'ExclusiveStartKey'>,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documentClient().send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/** An item without its key and index attributes. */
export function withoutKeys(
  item: Record<string, unknown>,
  extra: readonly string[] = [],
): Record<string, unknown> {
  const rest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(item)) {
    if (key === 'pk' || key === 'sk' || key === 'entity' || extra.includes(key)) continue;
    rest[key] = value;
  }
  return rest;
}
