import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type DynamoDbLocal,
  ensureTables,
  localDynamoDbClient,
  startDynamoDbLocal,
} from '#local/dynamodb-local';
import { loadLocalTopology, synthTemplate } from '#local/template';
import type { CaseHead } from '#shared/cases/model';

// The repository against a real DynamoDB Local: business writes and audit entries in one chain.
let dynamo: DynamoDbLocal;
let raw: DynamoDBClient;
let repository: typeof import('#shared/store/cases-repository');
let tableName: string;

beforeAll(async () => {
  const [started, template] = await Promise.all([startDynamoDbLocal(), synthTemplate()]);
  dynamo = started;
  raw = localDynamoDbClient(dynamo.endpoint);
  const tables = Object.values(loadLocalTopology(template).tables);
  await ensureTables(raw, tables);
  tableName = tables.find((table) => table.logicalId.startsWith('StorageCases'))?.tableName ?? '';
  Object.assign(process.env, {
    CASES_TABLE: tableName,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
  });
  repository = await import('#shared/store/cases-repository');
});
afterAll(async () => {
  raw?.destroy();
  await dynamo?.stop();
});

let counter = 0;
async function newCase(): Promise<string> {
  const at = '2021-12-01T01:00:00.000Z';
  const head: CaseHead = {
    caseId: `audit-${++counter}-${Date.now()}`,
    roundId: '2021',
    roundVersion: 1,
    kind: 'brand',
    route: 'direct',
    org: '91350100M000100Y43',
    status: 'DRAFT',
    version: 1,
    form: {},
    attempt: 0,
    createdAt: at,
    updatedAt: at,
  };
  await repository.createCase(head, { id: 'unit-1', role: 'applicant' });
  return head.caseId;
}

describe('the audit trail of a case', () => {
  it('chains every business write: creation, form edit, status change', async () => {
    const caseId = await newCase();
    await repository.updateForm(caseId, 1, { name: '甲' }, ['DRAFT'], {
      at: '2021-12-01T02:00:00Z',
      actor: { id: 'unit-1', role: 'applicant' },
      status: 'DRAFT',
    });
    await repository.transitionCase(caseId, {
      from: ['DRAFT'],
      to: 'SUBMITTED',
      actor: { id: 'unit-1', role: 'applicant' },
      at: '2021-12-01T03:00:00Z',
      action: 'submitted',
    });
    const record = await repository.loadCase(caseId);
    expect(record?.timeline.map((entry) => [entry.action, entry.from, entry.status, entry.role])).toEqual([
      ['case-created', undefined, 'DRAFT', 'applicant'],
      ['form-updated', 'DRAFT', 'DRAFT', 'applicant'],
      ['submitted', 'DRAFT', 'SUBMITTED', 'applicant'],
    ]);
    expect(await repository.verifyCaseAudit(caseId)).toEqual({ ok: true, length: 3 });
  });

  it('keeps one contiguous chain under 50 concurrent appends', async () => {
    const caseId = await newCase();
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        repository.appendAuditEntry(caseId, {
          at: `2021-12-01T04:00:${String(i % 60).padStart(2, '0')}Z`,
          status: 'DRAFT',
          actor: 'system',
          action: 'evidence-received',
          note: `file ${i}`,
        }),
      ),
    );
    expect(await repository.verifyCaseAudit(caseId)).toEqual({ ok: true, length: 51 });
    const notes = (await repository.loadCase(caseId))?.timeline.map((entry) => entry.note).filter(Boolean);
    expect(new Set(notes).size).toBe(50);
  });

  it('writes nothing, not even an audit entry, when the business condition fails', async () => {
    const caseId = await newCase();
    await expect(
      repository.transitionCase(caseId, {
        from: ['SUBMITTED'],
        to: 'CERTIFIED',
        actor: 'system',
        at: '2021-12-01T05:00:00Z',
      }),
    ).rejects.toMatchObject({ code: 'ILLEGAL_TRANSITION' });
    expect(await repository.verifyCaseAudit(caseId)).toEqual({ ok: true, length: 1 });
    expect((await repository.getCaseHead(caseId))?.status).toBe('DRAFT');
  });

  it('notices an audit entry changed or deleted in the table', async () => {
    const caseId = await newCase();
    await repository.appendAuditEntry(caseId, {
      at: '2021-12-01T06:00:00Z',
      status: 'DRAFT',
      actor: 'system',
      action: 'evidence-received',
    });
    await repository.appendAuditEntry(caseId, {
      at: '2021-12-01T06:01:00Z',
      status: 'DRAFT',
      actor: 'system',
      action: 'evidence-received',
    });
    const documents = DynamoDBDocumentClient.from(raw);
    await documents.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { pk: `CASE#${caseId}`, sk: 'EVENT#00000002' },
        UpdateExpression: 'SET actor = :x',
        ExpressionAttributeValues: { ':x': 'intruder' },
      }),
    );
    expect(await repository.verifyCaseAudit(caseId)).toEqual({ ok: false, seq: 2, reason: 'HASH' });
    await documents.send(
      new DeleteCommand({ TableName: tableName, Key: { pk: `CASE#${caseId}`, sk: 'EVENT#00000003' } }),
    );
    expect(await repository.verifyCaseAudit(caseId)).toMatchObject({ ok: false, seq: 2 });
  });
});
