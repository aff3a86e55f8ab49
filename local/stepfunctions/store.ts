import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';

/**
 * Durable state of the local Step Functions service in one pk/sk table:
 *
 * | pk                    | sk            | item                                                  |
 * |-----------------------|---------------|-------------------------------------------------------|
 * | `DEF#<sha256>`        | `DEF`         | a definition, by content hash                         |
 * | `SM#<stateMachineArn>`| `EXEC#<arn>`  | listing entry: name, status, dates (ListExecutions, resume) |
 * | `EXEC#<arn>`          | `META`        | the execution: input, status, output/error, checkpoint |
 * | `EXEC#<arn>`          | `EV#<8-digit>`| one history event                                     |
 * | `EXEC#<arn>`          | `TOK#<id>`    | one task token: state, status, deadlines, completion  |
 *
 * Payloads are stored as JSON strings, exactly as the API carries them.
 */
export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
export type TokenStatus = 'PENDING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'CLOSED';

const Checkpoint = z.object({
  state: z.string(),
  input: z.string(),
  enteredAt: z.number(),
  seq: z.number(),
});
export type Checkpoint = z.infer<typeof Checkpoint>;

const ExecutionRecord = z.object({
  executionArn: z.string(),
  stateMachineArn: z.string(),
  name: z.string(),
  input: z.string(),
  status: z.enum(['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED']),
  startDate: z.number(),
  stopDate: z.number().optional(),
  output: z.string().optional(),
  error: z.string().optional(),
  cause: z.string().optional(),
  definitionHash: z.string(),
  checkpoint: Checkpoint.optional(),
});
export type ExecutionRecord = z.infer<typeof ExecutionRecord>;

const ExecutionListing = ExecutionRecord.pick({
  executionArn: true,
  stateMachineArn: true,
  name: true,
  status: true,
  startDate: true,
  stopDate: true,
});
export type ExecutionListing = z.infer<typeof ExecutionListing>;

const StoredEvent = z.object({
  id: z.number(),
  type: z.string(),
  timestamp: z.number(),
  detailsKey: z.string().optional(),
  details: z.string().optional(),
});
export interface HistoryEvent {
  id: number;
  type: string;
  timestamp: number;
  /** The AWS details member, e.g. `stateEnteredEventDetails`, and its value. */
  detailsKey?: string;
  details?: Record<string, unknown>;
}

const TokenRecord = z.object({
  executionArn: z.string(),
  id: z.string(),
  token: z.string(),
  state: z.string(),
  payloadHash: z.string(),
  visitSeq: z.number(),
  status: z.enum(['PENDING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'CLOSED']),
  enteredAt: z.number(),
  timeoutAt: z.number().optional(),
  heartbeatSeconds: z.number().optional(),
  heartbeatAt: z.number().optional(),
  output: z.string().optional(),
  error: z.string().optional(),
  cause: z.string().optional(),
});
export type TokenRecord = z.infer<typeof TokenRecord>;

const execKey = (arn: string) => `EXEC#${arn}`;
const eventKey = (id: number) => `EV#${String(id).padStart(8, '0')}`;
const listingKey = (stateMachineArn: string) => `SM#${stateMachineArn}`;

/** Drops undefined fields: the caller's document client may not be configured to remove them. */
function defined<T extends Record<string, unknown>>(item: T): T {
  return Object.fromEntries(Object.entries(item).filter(([, v]) => v !== undefined)) as T;
}

function isConditionFailure(error: unknown): boolean {
  return (
    error instanceof Error &&
    (error.name === 'ConditionalCheckFailedException' ||
      (error.name === 'TransactionCanceledException' && error.message.includes('ConditionalCheckFailed')))
  );
}

export class ExecutionStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async ensureTable(): Promise<void> {
    try {
      await this.db.send(new DescribeTableCommand({ TableName: this.table }));
      return;
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
    }
    try {
      await this.db.send(
        new CreateTableCommand({
          TableName: this.table,
          AttributeDefinitions: [
            { AttributeName: 'pk', AttributeType: 'S' },
            { AttributeName: 'sk', AttributeType: 'S' },
          ],
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'sk', KeyType: 'RANGE' },
          ],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
    } catch (error) {
      if (!(error instanceof Error && error.name === 'ResourceInUseException')) throw error;
    }
  }

  async putDefinition(hash: string, definition: string): Promise<void> {
    await this.db.send(
      new PutCommand({ TableName: this.table, Item: { pk: `DEF#${hash}`, sk: 'DEF', definition } }),
    );
  }

  async getDefinition(hash: string): Promise<string | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: { pk: `DEF#${hash}`, sk: 'DEF' } }),
    );
    return z.object({ definition: z.string() }).optional().parse(Item)?.definition;
  }

  /** Creates the execution and its first event, or returns the execution that already has this ARN. */
  async createExecution(
    record: ExecutionRecord,
    started: HistoryEvent,
  ): Promise<ExecutionRecord | undefined> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: defined({ pk: execKey(record.executionArn), sk: 'META', ...record }),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            { Put: { TableName: this.table, Item: this.listingItem(record) } },
            { Put: { TableName: this.table, Item: this.eventItem(record.executionArn, started) } },
          ],
        }),
      );
      return undefined;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const existing = await this.getExecution(record.executionArn);
      if (!existing) throw error;
      return existing;
    }
  }

  async getExecution(executionArn: string): Promise<ExecutionRecord | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: { pk: execKey(executionArn), sk: 'META' },
        ConsistentRead: true,
      }),
    );
    return Item ? ExecutionRecord.parse(Item) : undefined;
  }

  async listExecutions(stateMachineArn: string): Promise<ExecutionListing[]> {
    const items = await this.queryAll({
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': listingKey(stateMachineArn) },
    });
    return items.map((item) => ExecutionListing.parse(item));
  }

  /**
   * Writes a run's queued history events, its latest checkpoint and new task tokens in as few
   * transactions as possible (100 items each, in order; the checkpoint goes with the last one), so a
   * checkpoint never lands without the events before it.
   */
  async writeBatch(
    executionArn: string,
    batch: { events: HistoryEvent[]; checkpoint?: Checkpoint; tokens: TokenRecord[] },
  ): Promise<void> {
    const items: NonNullable<TransactWriteCommandInput['TransactItems']> = [
      ...batch.events.map((event) => ({
        Put: { TableName: this.table, Item: this.eventItem(executionArn, event) },
      })),
      ...batch.tokens.map((token) => ({
        Put: {
          TableName: this.table,
          Item: defined({ pk: execKey(token.executionArn), sk: `TOK#${token.id}`, ...token }),
        },
      })),
    ];
    if (batch.checkpoint) {
      items.push({
        Update: {
          TableName: this.table,
          Key: { pk: execKey(executionArn), sk: 'META' },
          UpdateExpression: 'SET checkpoint = :c',
          ExpressionAttributeValues: { ':c': batch.checkpoint },
        },
      });
    }
    for (let i = 0; i < items.length; i += 100) {
      const chunk = items.slice(i, i + 100);
      const only = chunk[0];
      if (chunk.length === 1 && only?.Put) await this.db.send(new PutCommand(only.Put));
      else await this.db.send(new TransactWriteCommand({ TransactItems: chunk }));
    }
  }

  /** Closes a RUNNING execution with its last event. Returns false if it was no longer running. */
  async closeExecution(
    record: ExecutionRecord,
    close: {
      status: Exclude<ExecutionStatus, 'RUNNING'>;
      stopDate: number;
      output?: string;
      error?: string;
      cause?: string;
    },
    event: HistoryEvent,
  ): Promise<boolean> {
    const fields = defined({ ...close });
    const names = Object.keys(fields);
    const update = `SET ${names.map((n) => `#${n} = :${n}`).join(', ')}`;
    const attributeNames = Object.fromEntries(names.map((n) => [`#${n}`, n]));
    const values = Object.fromEntries(names.map((n) => [`:${n}`, fields[n as keyof typeof fields]]));
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.table,
                Key: { pk: execKey(record.executionArn), sk: 'META' },
                UpdateExpression: update,
                ConditionExpression: '#status = :running',
                ExpressionAttributeNames: attributeNames,
                ExpressionAttributeValues: { ...values, ':running': 'RUNNING' },
              },
            },
            {
              Update: {
                TableName: this.table,
                Key: { pk: listingKey(record.stateMachineArn), sk: `EXEC#${record.executionArn}` },
                UpdateExpression: 'SET #status = :status, #stopDate = :stopDate',
                ExpressionAttributeNames: { '#status': 'status', '#stopDate': 'stopDate' },
                ExpressionAttributeValues: { ':status': close.status, ':stopDate': close.stopDate },
              },
            },
            { Put: { TableName: this.table, Item: this.eventItem(record.executionArn, event) } },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async lastEventId(executionArn: string): Promise<number> {
    const { Items } = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :ev)',
        ExpressionAttributeValues: { ':pk': execKey(executionArn), ':ev': 'EV#' },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    const last = Items?.[0];
    return last ? StoredEvent.parse(last).id : 0;
  }

  /** One page of history, `limit` events after (or before, in reverse) the event `afterId`. */
  async events(
    executionArn: string,
    page: { limit: number; reverse: boolean; afterId?: number },
  ): Promise<{ events: HistoryEvent[]; more: boolean }> {
    const { Items = [] } = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :ev)',
        ExpressionAttributeValues: { ':pk': execKey(executionArn), ':ev': 'EV#' },
        ScanIndexForward: !page.reverse,
        Limit: page.limit + 1,
        ConsistentRead: true,
        ...(page.afterId === undefined
          ? {}
          : { ExclusiveStartKey: { pk: execKey(executionArn), sk: eventKey(page.afterId) } }),
      }),
    );
    const events = Items.slice(0, page.limit).map((item) => {
      const stored = StoredEvent.parse(item);
      const event: HistoryEvent = { id: stored.id, type: stored.type, timestamp: stored.timestamp };
      if (stored.detailsKey && stored.details) {
        event.detailsKey = stored.detailsKey;
        event.details = z.record(z.string(), z.unknown()).parse(JSON.parse(stored.details));
      }
      return event;
    });
    return { events, more: Items.length > page.limit };
  }

  async getToken(executionArn: string, id: string): Promise<TokenRecord | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: { pk: execKey(executionArn), sk: `TOK#${id}` },
        ConsistentRead: true,
      }),
    );
    return Item ? TokenRecord.parse(Item) : undefined;
  }

  async listTokens(executionArn: string): Promise<TokenRecord[]> {
    const items = await this.queryAll({
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :tok)',
      ExpressionAttributeValues: { ':pk': execKey(executionArn), ':tok': 'TOK#' },
      ConsistentRead: true,
    });
    return items.map((item) => TokenRecord.parse(item));
  }

  /**
   * Settles a PENDING token once: a completion, failure, timeout or close. Returns false if the token
   * is unknown or was already settled (the API then answers `TaskTimedOut`, as AWS does).
   */
  async settleToken(
    executionArn: string,
    id: string,
    settle: { status: Exclude<TokenStatus, 'PENDING'>; output?: string; error?: string; cause?: string },
  ): Promise<boolean> {
    const fields = defined({ ...settle });
    const names = Object.keys(fields);
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: execKey(executionArn), sk: `TOK#${id}` },
          UpdateExpression: `SET ${names.map((n) => `#${n} = :${n}`).join(', ')}`,
          ConditionExpression: '#status = :pending',
          ExpressionAttributeNames: Object.fromEntries(names.map((n) => [`#${n}`, n])),
          ExpressionAttributeValues: {
            ...Object.fromEntries(names.map((n) => [`:${n}`, fields[n as keyof typeof fields]])),
            ':pending': 'PENDING',
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** Records a heartbeat on a PENDING token. Returns false if the token is unknown or settled. */
  async heartbeat(executionArn: string, id: string, at: number): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: execKey(executionArn), sk: `TOK#${id}` },
          UpdateExpression: 'SET heartbeatAt = :at',
          ConditionExpression: '#status = :pending',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':at': at, ':pending': 'PENDING' },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  private listingItem(record: ExecutionRecord): Record<string, unknown> {
    return defined({
      pk: listingKey(record.stateMachineArn),
      sk: `EXEC#${record.executionArn}`,
      executionArn: record.executionArn,
      stateMachineArn: record.stateMachineArn,
      name: record.name,
      status: record.status,
      startDate: record.startDate,
      stopDate: record.stopDate,
    });
  }

  private eventItem(executionArn: string, event: HistoryEvent): Record<string, unknown> {
    return defined({
      pk: execKey(executionArn),
      sk: eventKey(event.id),
      id: event.id,
      type: event.type,
      timestamp: event.timestamp,
      detailsKey: event.detailsKey,
      details: event.details === undefined ? undefined : JSON.stringify(event.details),
    });
  }

  private async queryAll(input: QueryCommandInput): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }
}
