import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, type BatchGetCommandOutput, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { lazyEnv } from '../config';
import { documentClient } from './dynamo';

/**
 * The person index of a round (keys.ts: `PERSON#<roundId>#<hmac>`): for each person, the set of
 * cases whose rosters claim them. Keyed by the HMAC of the ID (secret from Secrets Manager): the
 * plain ID never reaches the table, and the key cannot be reversed without the secret.
 */
const table = lazyEnv('CASES_TABLE');
const PERSON_SORT = 'CASES';
/** Items per TransactWriteItems (its maximum) and per BatchGetItem (its maximum). */
const CHUNK = 100;

export const personKey = (roundId: string, hmac: string) => `PERSON#${roundId}#${hmac}`;

export interface ClaimResult {
  /** People of these keys also claimed by at least one other case. */
  sharedPersons: number;
  /** Other case → how many of these people it claims too. */
  perCase: Map<string, number>;
}

/**
 * Adds `caseId` to the claim set of every person (a set `ADD`: idempotent, a retry changes nothing),
 * 100 people per transaction, then reads the sets back. Writing everything before reading means of
 * two cases claiming one person at the same time at least the later reader sees the other.
 */
export async function claimPersons(
  roundId: string,
  caseId: string,
  keys: Iterable<string>,
  options: { concurrency?: number } = {},
): Promise<ClaimResult> {
  const result: ClaimResult = { sharedPersons: 0, perCase: new Map() };
  const iterator = chunks(keys, CHUNK);
  const worker = async () => {
    for (let next = iterator.next(); !next.done; next = iterator.next()) {
      const hmacs = next.value;
      await addClaims(roundId, caseId, hmacs);
      for (const claimed of await readClaims(roundId, hmacs)) {
        let shared = false;
        for (const other of claimed) {
          if (other === caseId) continue;
          shared = true;
          result.perCase.set(other, (result.perCase.get(other) ?? 0) + 1);
        }
        if (shared) result.sharedPersons++;
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 8 }, worker));
  return result;
}

function* chunks<T>(items: Iterable<T>, size: number): Generator<T[], void, undefined> {
  let chunk: T[] = [];
  for (const item of items) {
    chunk.push(item);
    if (chunk.length === size) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}

async function addClaims(roundId: string, caseId: string, hmacs: string[]): Promise<void> {
  const command = new TransactWriteCommand({
    TransactItems: hmacs.map((hmac) => ({
      Update: {
        TableName: table(),
        Key: { pk: personKey(roundId, hmac), sk: PERSON_SORT },
        UpdateExpression: 'ADD cases :case SET entity = :entity',
        ExpressionAttributeValues: { ':case': new Set([caseId]), ':entity': 'person' },
      },
    })),
  });
  for (let attempt = 1; ; attempt++) {
    try {
      await documentClient().send(command);
      return;
    } catch (error) {
      // Another case's transaction touched one of these people at the same moment: try again.
      const conflict =
        error instanceof TransactionCanceledException &&
        (error.CancellationReasons ?? []).some((reason) => reason.Code === 'TransactionConflict');
      if (!conflict || attempt >= 8) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 25 * 2 ** attempt));
    }
  }
}

/** The claim sets of these people, in no particular order. */
async function readClaims(roundId: string, hmacs: string[]): Promise<string[][]> {
  const sets: string[][] = [];
  let keys: Record<string, unknown>[] | undefined = hmacs.map((hmac) => ({
    pk: personKey(roundId, hmac),
    sk: PERSON_SORT,
  }));
  for (let attempt = 0; keys && keys.length > 0; attempt++) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 20 * 2 ** attempt)));
    const response: BatchGetCommandOutput = await documentClient().send(
      new BatchGetCommand({
        RequestItems: {
          [table()]: { Keys: keys, ConsistentRead: true, ProjectionExpression: 'cases' },
        },
      }),
    );
    for (const item of response.Responses?.[table()] ?? []) {
      const cases = item.cases;
      sets.push(cases instanceof Set ? [...cases].filter((c): c is string => typeof c === 'string') : []);
    }
    keys = response.UnprocessedKeys?.[table()]?.Keys;
  }
  return sets;
}
