import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DescribeTimeToLiveCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type DynamoDbLocal,
  DynamoDbLocalError,
  ensureTables,
  localDynamoDbClient,
  startDynamoDbLocal,
} from '#local/dynamodb-local';
import { type LocalTable, loadLocalTopology, synthTemplate } from '#local/template';

/**
 * DynamoDB Local as the local cloud runs it: java launched directly, tables created from the real
 * synthesized template. Every test stops what it starts; pids are checked, not process names,
 * because other suites may run their own DynamoDB Local at the same time.
 */
const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const LONG = 120_000;

const isRunning = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return condition();
}

let tables: LocalTable[];
let casesTable: LocalTable;
let db: DynamoDbLocal;
let client: DynamoDBClient;

beforeAll(async () => {
  // The JVM's start-up and the synth overlap.
  const [started, template] = await Promise.all([startDynamoDbLocal(), synthTemplate()]);
  db = started;
  console.info(`DynamoDB Local answered after ${db.startupMs} ms`);
  client = localDynamoDbClient(db.endpoint);
  tables = Object.values(loadLocalTopology(template).tables);
  const cases = tables.find((table) => table.logicalId.startsWith('StorageCases'));
  if (!cases) throw new Error('the template has no cases table');
  casesTable = cases;
}, LONG);

afterAll(async () => {
  client?.destroy();
  await db?.stop();
});

describe('DynamoDB Local with the tables of the template', () => {
  it('creates every table of the template once, and enables TTL where declared', async () => {
    const created = await ensureTables(client, tables);
    expect(created.sort()).toEqual(tables.map((table) => table.tableName).sort());
    expect(await ensureTables(client, tables)).toEqual([]);

    const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: casesTable.tableName }));
    expect(ttl.TimeToLiveDescription).toMatchObject({
      TimeToLiveStatus: 'ENABLED',
      AttributeName: 'expiresAt',
    });
  });

  it('serves a put and a query on a global secondary index', async () => {
    await ensureTables(client, tables);
    const documents = DynamoDBDocumentClient.from(client);
    await documents.send(
      new PutCommand({
        TableName: casesTable.tableName,
        Item: {
          pk: 'CASE#c-1',
          sk: 'HEAD',
          roundKey: 'ROUND#2021',
          roundSort: 'SUBMITTED#c-1',
          status: 'SUBMITTED',
        },
      }),
    );
    const found = await documents.send(
      new QueryCommand({
        TableName: casesTable.tableName,
        IndexName: 'byRound',
        KeyConditionExpression: 'roundKey = :round AND begins_with(roundSort, :status)',
        ExpressionAttributeValues: { ':round': 'ROUND#2021', ':status': 'SUBMITTED#' },
      }),
    );
    expect(found.Items).toEqual([
      { pk: 'CASE#c-1', sk: 'HEAD', roundKey: 'ROUND#2021', roundSort: 'SUBMITTED#c-1', status: 'SUBMITTED' },
    ]);
  });
});

describe('the DynamoDB Local process', () => {
  it(
    'is gone once stop() resolves',
    async () => {
      const db = await startDynamoDbLocal();
      expect(isRunning(db.pid)).toBe(true);
      await db.stop();
      expect(isRunning(db.pid)).toBe(false);
      await db.stop();
    },
    LONG,
  );

  it(
    'keeps its data in a data directory across restarts',
    async () => {
      const dataDir = await mkdtemp(path.join(tmpdir(), 'laowu-ddb-test-'));
      try {
        const first = await startDynamoDbLocal({ dataDir });
        const firstClient = localDynamoDbClient(first.endpoint);
        try {
          await ensureTables(firstClient, [casesTable]);
          await DynamoDBDocumentClient.from(firstClient).send(
            new PutCommand({ TableName: casesTable.tableName, Item: { pk: 'CASE#kept', sk: 'HEAD', n: 1 } }),
          );
        } finally {
          firstClient.destroy();
          await first.stop();
        }

        const second = await startDynamoDbLocal({ dataDir });
        const secondClient = localDynamoDbClient(second.endpoint);
        try {
          expect(await ensureTables(secondClient, [casesTable])).toEqual([]);
          const item = await DynamoDBDocumentClient.from(secondClient).send(
            new GetCommand({ TableName: casesTable.tableName, Key: { pk: 'CASE#kept', sk: 'HEAD' } }),
          );
          expect(item.Item).toEqual({ pk: 'CASE#kept', sk: 'HEAD', n: 1 });
        } finally {
          secondClient.destroy();
          await second.stop();
        }
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    },
    LONG,
  );

  it(
    'dies with a parent killed by SIGKILL',
    async () => {
      const parent = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          path.join(projectRoot, 'test/integration/local-storage/fixtures/hold-dynamodb.ts'),
        ],
        {
          cwd: projectRoot,
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      try {
        const started = await new Promise<{ pid: number; port: number }>((resolve, reject) => {
          let output = '';
          parent.stdout.on('data', (chunk: Buffer) => {
            output += chunk.toString('utf8');
            const line = output.split('\n').find((candidate) => candidate.startsWith('{'));
            if (line) resolve(JSON.parse(line));
          });
          parent.once('exit', (code) => reject(new Error(`the parent exited early (${code})`)));
        });
        expect(isRunning(started.pid)).toBe(true);

        parent.kill('SIGKILL');
        expect(await waitUntil(() => !isRunning(started.pid), 10_000)).toBe(true);
      } finally {
        parent.kill('SIGKILL');
      }
    },
    LONG,
  );

  it('says clearly when java is missing', async () => {
    const attempt = startDynamoDbLocal({ java: 'java-that-is-not-installed' });
    await expect(attempt).rejects.toThrow(DynamoDbLocalError);
    await expect(attempt).rejects.toThrow(
      /"java-that-is-not-installed" was not found: DynamoDB Local needs a Java 17\+ runtime/,
    );
  });

  it('refuses a relative data directory', async () => {
    await expect(startDynamoDbLocal({ dataDir: '.data/dynamodb' })).rejects.toThrow(
      /dataDir must be absolute/,
    );
  });
});
