import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DescribeExecutionCommand, SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '#local/cloud';
import { apiClient, eventually, startTestCloud } from '../../support/local-cloud';
import { completeBrandCase, sfnClient, startCaseExecution, tokens } from './fixtures';

describe('the local cloud carries a case from upload to the end of county review', () => {
  let cloud: LocalCloud & { dataDir: string };
  let api: ReturnType<typeof apiClient>;
  let who: Awaited<ReturnType<typeof tokens>>;

  beforeAll(async () => {
    cloud = await startTestCloud();
    api = apiClient(cloud.url);
    // Replay the 2021 call: a day inside its application window.
    await api('POST', '/local/clock', { body: { now: '2021-12-01T09:00:00+08:00' } });
    who = await tokens(cloud);
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  it('answers /health once every service is up', async () => {
    expect(await api('GET', '/health')).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  it('refuses a protected route without a valid token, as the JWT authorizer does', async () => {
    expect((await api('GET', '/v1/tasks')).status).toBe(401);
    expect((await api('GET', '/v1/tasks', { token: `${who.county}x` })).status).toBe(401);
  });

  it('uploads through presigned POSTs, parks at CountyReview and moves on to on-site evaluation after the county approves', async () => {
    const caseId = await completeBrandCase(cloud, who.applicant);
    const sfn = sfnClient(cloud);
    const executionArn = await startCaseExecution(cloud, caseId);

    const task = await eventually(async () => {
      const inbox = await api('GET', '/v1/tasks', { token: who.county });
      return (inbox.body.items as { caseId: string; type: string; taskId: string }[]).find(
        (item) => item.caseId === caseId,
      );
    });
    expect(task.type).toBe('county-review');
    expect((await api('GET', '/v1/tasks', { token: who.otherCounty })).body.items).toEqual([]);
    expect((await api('GET', `/v1/cases/${caseId}`, { token: who.county })).body.status).toBe(
      'COUNTY_REVIEW',
    );

    // The token never leaves the server; read it where the server keeps it to prove a second use fails.
    const documents = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: cloud.endpoints.dynamodb,
        region: cloud.topology.region,
        credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
      }),
    );
    const casesTable = Object.values(cloud.topology.tables).find((table) =>
      table.logicalId.startsWith('StorageCases'),
    );
    const items = await documents.send(
      new QueryCommand({
        TableName: casesTable?.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :task)',
        ExpressionAttributeValues: { ':pk': `CASE#${caseId}`, ':task': 'TASK#' },
      }),
    );
    const taskToken = items.Items?.[0]?.taskToken as string;
    expect(taskToken).toBeTruthy();

    const completed = await api('POST', `/v1/tasks/${task.taskId}/complete`, {
      token: who.county,
      body: { decision: 'approve', opinion: '材料真实，同意推荐' },
    });
    expect(completed.status).toBe(200);

    // The workflow took the decision: the city's on-site evaluation is open, the execution still runs.
    const onsite = await eventually(async () => {
      const inbox = await api('GET', '/v1/tasks', { token: who.city });
      return (inbox.body.items as { caseId: string; type: string }[]).find((item) => item.caseId === caseId);
    });
    expect(onsite.type).toBe('onsite-evaluation');
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('RUNNING');

    await expect(
      sfn.send(new SendTaskSuccessCommand({ taskToken, output: '{"decision":"approve"}' })),
    ).rejects.toMatchObject({
      name: 'TaskTimedOut',
    });
    const again = await api('POST', `/v1/tasks/${task.taskId}/complete`, {
      token: who.county,
      body: { decision: 'approve', opinion: '再次提交' },
    });
    expect(again.status).toBe(409);
    documents.destroy();
  });

  it('decodes a URL-encoded S3 key with Chinese characters and a space exactly, quarantining an unreserved object', async () => {
    const created = await api('POST', '/v1/cases', {
      token: who.applicant,
      body: { roundId: '2021', kind: 'brand', route: 'direct', form: { name: '临汾面食' } },
    });
    expect(created.status).toBe(201);
    const evidenceBucket = Object.values(cloud.topology.buckets).find(
      (bucket) => bucket.notifications.length > 0,
    );
    const key = `rounds/2021/cases/${created.body.caseId}/other/花名册 2021+final.pdf`;
    const s3 = new S3Client({
      endpoint: cloud.endpoints.s3,
      region: cloud.topology.region,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      forcePathStyle: true,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    await s3.send(
      new PutObjectCommand({ Bucket: evidenceBucket?.name, Key: key, Body: '%PDF-1.4 not asked for' }),
    );

    const quarantined = await eventually(async () => {
      try {
        return await s3.send(
          new GetObjectCommand({ Bucket: evidenceBucket?.name, Key: `quarantine/${key}` }),
        );
      } catch {
        return undefined;
      }
    });
    expect(await quarantined.Body?.transformToString()).toBe('%PDF-1.4 not asked for');
    await expect(
      s3.send(new GetObjectCommand({ Bucket: evidenceBucket?.name, Key: key })),
    ).rejects.toMatchObject({ name: 'NoSuchKey' });
    s3.destroy();
  });

  it('parks a county review nobody completes past its backstop with the city, never rejects it; retry opens the review again', async () => {
    const caseId = await completeBrandCase(cloud, who.applicant);
    const executionArn = await startCaseExecution(cloud, caseId);
    const task = await eventually(async () => {
      const inbox = await api('GET', '/v1/tasks', { token: who.county });
      return (inbox.body.items as { caseId: string; taskId: string }[]).find(
        (item) => item.caseId === caseId,
      );
    });

    // CountyReview's TimeoutSeconds is a backstop of 180 days; move the simulated clock past it.
    await api('POST', '/local/clock', { body: { advance: 'P181D' } });

    const attention = await eventually(async () => {
      const inbox = await api('GET', '/v1/tasks', { token: who.city });
      return (inbox.body.items as { caseId: string; taskId: string; type: string }[]).find(
        (item) => item.caseId === caseId && item.type === 'attention',
      );
    });
    const view = await api('GET', `/v1/cases/${caseId}`, { token: who.applicant });
    expect(view.body.status).toBe('COUNTY_REVIEW');
    expect(view.body.attention).toMatchObject({ state: 'CountyReview', error: 'States.Timeout' });
    expect(view.body.attention.message).toContain('CountyReview');
    const sfn = sfnClient(cloud);
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('RUNNING');
    // The county's dead task left its inbox; completing it is refused.
    const countyInbox = await api('GET', '/v1/tasks', { token: who.county });
    expect((countyInbox.body.items as { taskId: string }[]).map((item) => item.taskId)).not.toContain(
      task.taskId,
    );
    const late = await api('POST', `/v1/tasks/${task.taskId}/complete`, {
      token: who.county,
      body: { decision: 'approve', opinion: '逾期办理' },
    });
    expect(late.status).toBe(409);
    const detail = await api('GET', `/v1/tasks/${attention.taskId}`, { token: who.city });
    expect(detail.body.decisions).toEqual(['retry', 'reject']);

    const retried = await api('POST', `/v1/tasks/${attention.taskId}/complete`, {
      token: who.city,
      body: { decision: 'retry', opinion: '已联系县区，重新办理' },
    });
    expect(retried.status).toBe(200);
    const reopened = await eventually(async () => {
      const inbox = await api('GET', '/v1/tasks', { token: who.county });
      return (inbox.body.items as { caseId: string; taskId: string }[]).find(
        (item) => item.caseId === caseId && item.taskId !== task.taskId,
      );
    });
    expect(reopened).toBeDefined();
    const after = await api('GET', `/v1/cases/${caseId}`, { token: who.applicant });
    expect(after.body.status).toBe('COUNTY_REVIEW');
    expect(after.body.attention).toBeUndefined();
    expect(after.body.form).toEqual(view.body.form);
  });
});
