import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DescribeExecutionCommand, GetExecutionHistoryCommand } from '@aws-sdk/client-sfn';
import { afterEach, describe, expect, it } from 'vitest';
import type { LocalCloud } from '#local/cloud';
import { startLocalCloud } from '#local/cloud';
import { synthTemplate } from '#local/template';
import { apiClient, eventually } from '../../support/local-cloud';
import { completeBrandCase, sfnClient, startCaseExecution, tokens } from './fixtures';

/** Runs one county-route case on a cloud started from `template` and returns the states it entered. */
async function statesEntered(cloud: LocalCloud): Promise<{ status: string | undefined; states: string[] }> {
  const api = apiClient(cloud.url);
  await api('POST', '/local/clock', { body: { now: '2021-12-01T09:00:00+08:00' } });
  const who = await tokens(cloud);
  const caseId = await completeBrandCase(cloud, who.applicant);
  const sfn = sfnClient(cloud);
  const executionArn = await startCaseExecution(cloud, caseId);
  // Either the run parks at a callback (a task appears) or it ends; both are observable.
  const status = await eventually(async () => {
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (described.status !== 'RUNNING') return described.status;
    for (const token of [who.county, who.city]) {
      const inbox = await api('GET', '/v1/tasks', { token });
      if ((inbox.body.items as unknown[]).length > 0) return 'PARKED';
    }
    return undefined;
  });
  const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
  const states = (history.events ?? [])
    .map((event) => event.stateEnteredEventDetails?.name)
    .filter((name): name is string => name !== undefined);
  return { status, states };
}

describe('the local run executes the synthesized definition, not a copy of it', () => {
  let cloud: LocalCloud | undefined;
  afterEach(async () => {
    await cloud?.stop();
    cloud = undefined;
  });

  it('follows the template: a county-route case parks at CountyReview', async () => {
    cloud = await startLocalCloud({
      template: await synthTemplate(),
      dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'laowu-parity-')),
      port: 0,
    });
    const run = await statesEntered(cloud);
    expect(run.status).toBe('PARKED');
    expect(run.states).toEqual(['AutoCheck', 'AutoCheckVerdict', 'Route', 'CountyReview']);
  });

  it('changes when the template’s chain changes: with the county branch re-pointed, the run skips county review', async () => {
    const template = await synthTemplate();
    const machine = Object.values(template.Resources).find(
      (resource) => resource.Type === 'AWS::StepFunctions::StateMachine',
    );
    const definition = JSON.stringify(machine?.Properties?.DefinitionString);
    // Swap the Route choice's two targets; every other byte of the definition stays.
    const rewired = definition
      .replace(
        '\\"StringEquals\\":\\"county\\",\\"Next\\":\\"CountyReview\\"',
        '\\"StringEquals\\":\\"county\\",\\"Next\\":\\"OnSiteEvaluation\\"',
      )
      .replace('\\"Default\\":\\"OnSiteEvaluation\\"', '\\"Default\\":\\"CountyReview\\"');
    expect(rewired).not.toBe(definition);
    if (machine?.Properties) machine.Properties.DefinitionString = JSON.parse(rewired);

    cloud = await startLocalCloud({
      template,
      dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'laowu-parity-')),
      port: 0,
    });
    const run = await statesEntered(cloud);
    expect(run.status).toBe('PARKED');
    expect(run.states).toEqual(['AutoCheck', 'AutoCheckVerdict', 'Route', 'OnSiteEvaluation']);
  });
});
