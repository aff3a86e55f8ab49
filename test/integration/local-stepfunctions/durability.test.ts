import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStepFunctions } from '#local/stepfunctions/index';
import { ExecutionStore } from '#local/stepfunctions/store';
import { parseToken } from '#local/stepfunctions/tokens';
import { ARN, panel, review } from './definitions';
import {
  type DynamoLocal,
  eventually,
  fakeFunctions,
  manualClock,
  sfnClient,
  startDynamoLocal,
  uniqueTable,
  waitForStatus,
} from './support';

let dynamo: DynamoLocal;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  dynamo = await startDynamoLocal();
}, 30_000);

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

afterAll(async () => {
  await dynamo?.stop();
});

/** One "process" of the service on a table; the fakes outlive it, as functions do across restarts. */
async function serve(
  definition: object,
  table: string,
  functions: ReturnType<typeof fakeFunctions>,
  clock: ReturnType<typeof manualClock>,
) {
  const service = await startLocalStepFunctions({
    definition,
    stateMachineArn: ARN.stateMachine,
    invokeFunction: functions.invokeFunction,
    functionArns: functions.functionArns,
    dynamo: dynamo.client,
    table,
    clock,
  });
  const sfn = sfnClient(service.endpoint);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    sfn.destroy();
    await service.stop();
  };
  cleanups.push(stop);
  return { sfn, stop };
}

function panelFunctions() {
  const tokens: string[] = [];
  const functions = fakeFunctions({
    [ARN.openTask]: (payload) => {
      tokens.push((payload as { taskToken: string }).taskToken);
      return {};
    },
    [ARN.record]: (payload) => ({
      total: (payload as { score: number }[]).reduce((sum, s) => sum + s.score, 0),
    }),
    [ARN.check]: () => ({}),
  });
  return { functions, tokens };
}

const openTaskCalls = (functions: ReturnType<typeof fakeFunctions>) =>
  functions.calls.filter((call) => call.functionArn === ARN.openTask).length;

describe('local Step Functions service across restarts', () => {
  it('resumes a callback parked before a restart without calling its function again', async () => {
    // Prepare
    const table = uniqueTable();
    const clock = manualClock();
    const { functions, tokens } = panelFunctions();
    const first = await serve(review, table, functions, clock);
    const { executionArn = '' } = await first.sfn.send(
      new StartExecutionCommand({ stateMachineArn: ARN.stateMachine, input: '{"caseId":"C-1"}' }),
    );
    const token = await eventually(() => tokens[0]);
    await first.stop();

    // Act
    const second = await serve(review, table, functions, clock);
    await second.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"decision":"approve"}' }));
    const described = await waitForStatus(second.sfn, executionArn);

    // Assess
    expect(described.status).toBe('SUCCEEDED');
    expect(JSON.parse(described.output ?? '')).toEqual({ caseId: 'C-1', decision: { decision: 'approve' } });
    expect(openTaskCalls(functions)).toBe(1);
    await expect(
      second.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' })),
    ).rejects.toBeInstanceOf(TaskTimedOut);
  });

  it('keeps one history across a restart: the resumed state is not entered twice', async () => {
    // Prepare
    const table = uniqueTable();
    const clock = manualClock();
    const { functions, tokens } = panelFunctions();
    const first = await serve(review, table, functions, clock);
    const { executionArn = '' } = await first.sfn.send(
      new StartExecutionCommand({ stateMachineArn: ARN.stateMachine, input: '{"caseId":"C-2"}' }),
    );
    const token = await eventually(() => tokens[0]);
    await first.stop();
    const second = await serve(review, table, functions, clock);
    await second.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }));
    await waitForStatus(second.sfn, executionArn);

    // Act
    const { events = [] } = await second.sfn.send(new GetExecutionHistoryCommand({ executionArn }));

    // Assess
    const types = events.map((e) => e.type);
    expect(types.filter((t) => t === 'TaskStateEntered')).toHaveLength(1);
    expect(types.filter((t) => t === 'ExecutionStarted')).toHaveLength(1);
    expect(types.at(-1)).toBe('ExecutionSucceeded');
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));
  });

  it('resumes straight past a callback whose completion was stored while nothing ran', async () => {
    // Prepare
    const table = uniqueTable();
    const clock = manualClock();
    const { functions, tokens } = panelFunctions();
    const first = await serve(review, table, functions, clock);
    const { executionArn = '' } = await first.sfn.send(
      new StartExecutionCommand({ stateMachineArn: ARN.stateMachine, input: '{"caseId":"C-3"}' }),
    );
    const token = await eventually(() => tokens[0]);
    await first.stop();
    const { id } = parseToken(token);
    await new ExecutionStore(dynamo.client, table).settleToken(executionArn, id, {
      status: 'SUCCEEDED',
      output: '{"decision":"return"}',
    });

    // Act
    const second = await serve(review, table, functions, clock);
    const described = await waitForStatus(second.sfn, executionArn);

    // Assess
    expect(described.status).toBe('SUCCEEDED');
    expect(JSON.parse(described.output ?? '').decision).toEqual({ decision: 'return' });
    expect(openTaskCalls(functions)).toBe(1);
  });

  it('resumes a Map of callbacks at its boundary, reusing each item’s token', async () => {
    // Prepare
    const table = uniqueTable();
    const clock = manualClock();
    const { functions, tokens } = panelFunctions();
    const first = await serve(panel, table, functions, clock);
    const { executionArn = '' } = await first.sfn.send(
      new StartExecutionCommand({
        stateMachineArn: ARN.stateMachine,
        input: JSON.stringify({ caseId: 'C-4', experts: ['E1', 'E2'] }),
      }),
    );
    await eventually(() => tokens[1]);
    await first.stop();

    // Act
    const second = await serve(panel, table, functions, clock);
    for (const [i, taskToken] of tokens.entries()) {
      await second.sfn.send(
        new SendTaskSuccessCommand({ taskToken, output: JSON.stringify({ score: 10 * (i + 1) }) }),
      );
    }
    const described = await waitForStatus(second.sfn, executionArn);

    // Assess
    expect(described.status).toBe('SUCCEEDED');
    expect(JSON.parse(described.output ?? '').aggregate).toEqual({ total: 30 });
    expect(openTaskCalls(functions)).toBe(2);
  });

  it('keeps a Wait state’s entered time across a restart', async () => {
    // Prepare
    const table = uniqueTable();
    const clock = manualClock();
    const { functions } = panelFunctions();
    const hold = {
      StartAt: 'Hold',
      States: { Hold: { Type: 'Wait', Seconds: 3600, Next: 'Done' }, Done: { Type: 'Succeed' } },
    };
    const first = await serve(hold, table, functions, clock);
    const { executionArn = '' } = await first.sfn.send(
      new StartExecutionCommand({ stateMachineArn: ARN.stateMachine, input: '{}' }),
    );
    await eventually(async () => {
      const { events = [] } = await first.sfn.send(new GetExecutionHistoryCommand({ executionArn }));
      return events.find((e) => e.type === 'WaitStateEntered');
    });
    await first.stop();
    clock.advance(1800_000);
    const second = await serve(hold, table, functions, clock);

    // Act
    clock.advance(1800_000);
    const described = await waitForStatus(second.sfn, executionArn);

    // Assess
    expect(described.status).toBe('SUCCEEDED');
  });

  it('still reads $$.Execution.Input as the execution input after a resume', async () => {
    // Prepare
    const table = uniqueTable();
    const clock = manualClock();
    const { functions, tokens } = panelFunctions();
    const { Catch: _catch, ...reviewTask } = review.States.CountyReview;
    const echo = {
      StartAt: 'Shape',
      States: {
        Shape: { Type: 'Pass', Parameters: { 'caseId.$': '$.caseId', shaped: true }, Next: 'CountyReview' },
        CountyReview: { ...reviewTask, Next: 'Echo' },
        Echo: { Type: 'Pass', Parameters: { 'original.$': '$$.Execution.Input' }, End: true },
      },
    };
    const first = await serve(echo, table, functions, clock);
    const { executionArn = '' } = await first.sfn.send(
      new StartExecutionCommand({ stateMachineArn: ARN.stateMachine, input: '{"caseId":"C-7"}' }),
    );
    const token = await eventually(() => tokens[0]);
    await first.stop();
    const second = await serve(echo, table, functions, clock);

    // Act
    await second.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }));
    const described = await waitForStatus(second.sfn, executionArn);

    // Assess
    expect(JSON.parse(described.output ?? '')).toEqual({ original: { caseId: 'C-7' } });
  });

  it('leaves executions RUNNING when the service stops, and holds no timers after stop()', async () => {
    // Prepare
    const table = uniqueTable();
    const clock = manualClock();
    const { functions, tokens } = panelFunctions();
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const baseline = timers();
    const first = await serve(review, table, functions, clock);
    const { executionArn = '' } = await first.sfn.send(
      new StartExecutionCommand({ stateMachineArn: ARN.stateMachine, input: '{"caseId":"C-6"}' }),
    );
    await eventually(() => tokens[0]);

    // Act
    await first.stop();

    // Assess
    expect(timers()).toBeLessThanOrEqual(baseline);
    const second = await serve(review, table, functions, clock);
    const described = await second.sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(described.status).toBe('RUNNING');
  });
});
