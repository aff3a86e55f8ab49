import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  SFNClient,
} from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { localDynamoDbClient, startDynamoDbLocal } from '#local/dynamodb-local';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

export interface DynamoLocal {
  endpoint: string;
  client: DynamoDBDocumentClient;
  stop(): Promise<void>;
}

/** DynamoDB Local for one test file, in memory on a free port: the same launcher `npm start` uses. */
export async function startDynamoLocal(): Promise<DynamoLocal> {
  const dynamo = await startDynamoDbLocal();
  const raw = localDynamoDbClient(dynamo.endpoint);
  const client = DynamoDBDocumentClient.from(raw);
  return {
    endpoint: dynamo.endpoint,
    client,
    stop: async () => {
      client.destroy();
      raw.destroy();
      await dynamo.stop();
    },
  };
}

/** A simulated clock that only moves when a test moves it. */
export function manualClock(start = Date.parse('2026-03-02T01:00:00.000Z')) {
  let now = start;
  const listeners = new Set<() => void>();
  return {
    now: () => now,
    subscribe(listener: () => void) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    advance(ms: number) {
      now += ms;
      for (const listener of listeners) listener();
    },
  };
}

export function sfnClient(endpoint: string): SFNClient {
  return new SFNClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
}

/** Polls DescribeExecution until the execution leaves RUNNING (or `status` is seen). */
export async function waitForStatus(
  sfn: SFNClient,
  executionArn: string,
  status = 'CLOSED',
  timeoutMs = 5000,
): Promise<DescribeExecutionCommandOutput> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    const done = status === 'CLOSED' ? described.status !== 'RUNNING' : described.status === status;
    if (done) return described;
    if (Date.now() > deadline)
      throw new Error(`${executionArn} still ${described.status} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Polls until `check` returns a value. */
export async function eventually<T>(
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export interface Call {
  functionArn: string;
  payload: unknown;
}

/** Fake Lambda functions by ARN; every invocation is recorded. */
export function fakeFunctions(handlers: Record<string, (payload: unknown) => unknown>) {
  const calls: Call[] = [];
  return {
    calls,
    functionArns: Object.keys(handlers),
    invokeFunction: async (functionArn: string, payload: unknown) => {
      calls.push({ functionArn, payload });
      const handler = handlers[functionArn];
      if (!handler) throw new Error(`no fake for ${functionArn}`);
      return handler(payload);
    },
  };
}

let tables = 0;
export function uniqueTable(prefix = 'sfn'): string {
  tables += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${tables}`;
}
