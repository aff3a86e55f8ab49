import fs from 'node:fs';
import { DescribeExecutionCommand, GetExecutionHistoryCommand } from '@aws-sdk/client-sfn';
import { afterAll, describe, expect, it } from 'vitest';
import { apiClient, eventually, startTestCloud } from '../../support/local-cloud';
import { completeBrandCase, sfnClient, startCaseExecution, tokens } from './fixtures';

describe('the local cloud survives a restart', () => {
  const clouds: { stop(): Promise<void> }[] = [];
  afterAll(async () => {
    for (const cloud of clouds) await cloud.stop();
  });

  it('finishes an execution parked at a callback before the restart, opening the task only once', async () => {
    // Prepare: a case parked at county review.
    const first = await startTestCloud();
    clouds.push(first);
    const api1 = apiClient(first.url);
    await api1('POST', '/local/clock', { body: { now: '2021-12-01T09:00:00+08:00' } });
    const who = await tokens(first);
    const caseId = await completeBrandCase(first, who.applicant);
    const executionArn = await startCaseExecution(first, caseId);
    const taskBefore = await eventually(async () => {
      const inbox = await api1('GET', '/v1/tasks', { token: who.county });
      return (inbox.body.items as { caseId: string; taskId: string }[]).find(
        (item) => item.caseId === caseId,
      );
    });

    // Act: stop everything, start again on the same data folder, complete the task.
    await first.stop();
    clouds.pop();
    const second = await startTestCloud({ dataDir: first.dataDir });
    clouds.push(second);
    const api2 = apiClient(second.url);
    const county = (await api2('POST', '/local/token', { body: { role: 'county', county: '141024' } })).body
      .token;
    const inbox = await api2('GET', '/v1/tasks', { token: county });
    expect((inbox.body.items as { taskId: string }[]).map((item) => item.taskId)).toContain(
      taskBefore.taskId,
    );
    const completed = await api2('POST', `/v1/tasks/${taskBefore.taskId}/complete`, {
      token: county,
      // Rejecting ends the run, which makes "finished after the restart" observable in one step.
      body: { decision: 'reject', opinion: '材料不实，不予推荐' },
    });
    expect(completed.status).toBe(200);

    // Assess: the execution ends; nothing recorded before the restart is lost; the task opened once.
    const sfn = sfnClient(second);
    const finished = await eventually(async () => {
      const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      return described.status === 'RUNNING' ? undefined : described;
    });
    expect(finished.status).toBe('SUCCEEDED');
    const view = await api2('GET', `/v1/cases/${caseId}`, { token: who.applicant });
    expect(view.status).toBe(200);
    expect((view.body.evidence as unknown[]).length).toBe(6);
    const countyReviewOpenings = (view.body.timeline as { action?: string }[]).filter(
      (entry) => entry.action === 'task-opened:county-review',
    );
    expect(countyReviewOpenings).toHaveLength(1);
    const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    expect(history.events?.some((event) => event.type === 'ExecutionSucceeded')).toBe(true);

    await second.stop();
    clouds.pop();
    fs.rmSync(first.dataDir, { recursive: true, force: true });
  });
});
