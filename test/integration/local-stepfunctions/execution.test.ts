import {
  ExecutionAlreadyExists,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  InvalidToken,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  type SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStepFunctions } from '#local/stepfunctions/index';
import { ARN, DAY, heartbeat, lambdaChain, publicity, review } from './definitions';
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

type Functions = ReturnType<typeof fakeFunctions>;

async function serve(definition: object, functions: Functions, clock = manualClock()) {
  const service = await startLocalStepFunctions({
    definition,
    stateMachineArn: ARN.stateMachine,
    invokeFunction: functions.invokeFunction,
    functionArns: functions.functionArns,
    dynamo: dynamo.client,
    table: uniqueTable(),
    clock,
  });
  const sfn = sfnClient(service.endpoint);
  cleanups.push(async () => {
    sfn.destroy();
    await service.stop();
  });
  return { sfn, clock, service };
}

async function start(sfn: SFNClient, input: object, name?: string) {
  const started = await sfn.send(
    new StartExecutionCommand({ stateMachineArn: ARN.stateMachine, name, input: JSON.stringify(input) }),
  );
  return started.executionArn ?? '';
}

async function history(sfn: SFNClient, executionArn: string): Promise<HistoryEvent[]> {
  const { events = [] } = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }));
  return events;
}

/** Fakes for a workflow whose callback function hands out its token. */
function callbackFunctions() {
  const tokens: string[] = [];
  const functions = fakeFunctions({
    [ARN.openTask]: (payload) => {
      tokens.push((payload as { taskToken: string }).taskToken);
      return { opened: true };
    },
    [ARN.check]: () => ({ verdict: 'ok' }),
    [ARN.record]: () => ({ total: 0 }),
  });
  const nextToken = (index = 0) => eventually(() => tokens[index]);
  return { functions, tokens, nextToken };
}

describe('local Step Functions service', () => {
  it('runs a Lambda task chain with ResultSelector, Choice and Pass to success', async () => {
    // Prepare
    const functions = fakeFunctions({
      [ARN.check]: () => ({ verdict: 'ok', ignored: 'not selected' }),
      [ARN.record]: () => ({ written: true }),
    });
    const { sfn } = await serve(lambdaChain, functions);

    // Act
    const executionArn = await start(sfn, { caseId: 'C-1' });
    const described = await waitForStatus(sfn, executionArn);

    // Assess
    expect(described.status).toBe('SUCCEEDED');
    expect(JSON.parse(described.output ?? '')).toEqual({
      caseId: 'C-1',
      autoCheck: { verdict: 'ok' },
      stage: 'done',
    });
    expect(functions.calls).toEqual([
      { functionArn: ARN.check, payload: { caseId: 'C-1' } },
      { functionArn: ARN.record, payload: { caseId: 'C-1', status: 'OK' } },
    ]);
  });

  it('records history events per state with names, ending in ExecutionSucceeded', async () => {
    // Prepare
    const functions = fakeFunctions({ [ARN.check]: () => ({ verdict: 'ok' }), [ARN.record]: () => ({}) });
    const { sfn } = await serve(lambdaChain, functions);
    const executionArn = await start(sfn, { caseId: 'C-2' });
    await waitForStatus(sfn, executionArn);

    // Act
    const events = await history(sfn, executionArn);

    // Assess
    const entered = events
      .filter((e) => e.type?.endsWith('StateEntered'))
      .map((e) => [e.type, e.stateEnteredEventDetails?.name]);
    expect(entered).toEqual([
      ['TaskStateEntered', 'AutoCheck'],
      ['ChoiceStateEntered', 'Verdict'],
      ['TaskStateEntered', 'RecordOutcome'],
      ['PassStateEntered', 'Stamp'],
      ['SucceedStateEntered', 'Done'],
    ]);
    expect(events[0]?.type).toBe('ExecutionStarted');
    expect(events.at(-1)?.type).toBe('ExecutionSucceeded');
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));
    expect(events.some((e) => e.type === 'TaskSucceeded')).toBe(true);
  });

  it('pages history with nextToken', async () => {
    // Prepare
    const functions = fakeFunctions({ [ARN.check]: () => ({ verdict: 'ok' }), [ARN.record]: () => ({}) });
    const { sfn } = await serve(lambdaChain, functions);
    const executionArn = await start(sfn, { caseId: 'C-3' });
    await waitForStatus(sfn, executionArn);
    const all = await history(sfn, executionArn);

    // Act
    const paged: HistoryEvent[] = [];
    let nextToken: string | undefined;
    do {
      const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 4, nextToken }));
      paged.push(...(page.events ?? []));
      nextToken = page.nextToken;
    } while (nextToken);

    // Assess
    expect(paged.map((e) => e.id)).toEqual(all.map((e) => e.id));
  });

  it('hands a Lambda error to Catch as { Error, Cause }', async () => {
    // Prepare
    const functions = fakeFunctions({
      [ARN.check]: () => {
        throw Object.assign(new Error('no case C-4'), { name: 'CaseNotFound' });
      },
      [ARN.record]: () => ({}),
    });
    const { sfn } = await serve(lambdaChain, functions);

    // Act
    const executionArn = await start(sfn, { caseId: 'C-4' });
    const described = await waitForStatus(sfn, executionArn);

    // Assess
    expect(described.status).toBe('SUCCEEDED');
    const { failure } = JSON.parse(described.output ?? '');
    expect(failure.Error).toBe('CaseNotFound');
    expect(JSON.parse(failure.Cause)).toMatchObject({
      errorType: 'CaseNotFound',
      errorMessage: 'no case C-4',
    });
  });

  it('times a Lambda invocation out in real time after its TimeoutSeconds', async () => {
    // Prepare
    const functions = fakeFunctions({ [ARN.check]: () => new Promise(() => {}) });
    const slow = {
      StartAt: 'Check',
      States: {
        Check: {
          ...lambdaChain.States.AutoCheck,
          TimeoutSeconds: 1,
          Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: '$.timeout', Next: 'Late' }],
          Next: 'Late',
        },
        Late: { Type: 'Succeed' },
      },
    };
    const { sfn } = await serve(slow, functions);

    // Act
    const executionArn = await start(sfn, { caseId: 'C-15' });
    const described = await waitForStatus(sfn, executionArn);

    // Assess
    expect(JSON.parse(described.output ?? '').timeout.Error).toBe('States.Timeout');
  });

  it('fails the execution with the Fail state error', async () => {
    // Prepare
    const functions = fakeFunctions({
      [ARN.check]: () => ({ verdict: 'ineligible' }),
      [ARN.record]: () => ({}),
    });
    const { sfn } = await serve(lambdaChain, functions);

    // Act
    const executionArn = await start(sfn, { caseId: 'C-5' });
    const described = await waitForStatus(sfn, executionArn);

    // Assess
    expect(described).toMatchObject({ status: 'FAILED', error: 'Ineligible', cause: 'auto-check said no' });
  });

  it('parks a callback task until SendTaskSuccess, whose output is the task result', async () => {
    // Prepare
    const { functions, nextToken } = callbackFunctions();
    const { sfn } = await serve(review, functions);
    const executionArn = await start(sfn, { caseId: 'C-6' });
    const token = await nextToken();
    const parked = await waitForStatus(sfn, executionArn, 'RUNNING');

    // Act
    await sfn.send(
      new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ decision: 'approve' }) }),
    );
    const described = await waitForStatus(sfn, executionArn);

    // Assess
    expect(parked.status).toBe('RUNNING');
    expect(described.status).toBe('SUCCEEDED');
    expect(JSON.parse(described.output ?? '')).toEqual({ caseId: 'C-6', decision: { decision: 'approve' } });
    expect(functions.calls[0]?.payload).toEqual({ taskToken: token, caseId: 'C-6', type: 'county-review' });
  });

  it('answers a second SendTaskSuccess for the same token with TaskTimedOut', async () => {
    // Prepare
    const { functions, nextToken } = callbackFunctions();
    const { sfn } = await serve(review, functions);
    const executionArn = await start(sfn, { caseId: 'C-7' });
    const token = await nextToken();
    await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }));
    await waitForStatus(sfn, executionArn);

    // Act
    const second = sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }));

    // Assess
    await expect(second).rejects.toBeInstanceOf(TaskTimedOut);
  });

  it('answers a malformed token with InvalidToken', async () => {
    // Prepare
    const { functions } = callbackFunctions();
    const { sfn } = await serve(review, functions);

    // Act
    const sent = sfn.send(new SendTaskSuccessCommand({ taskToken: 'not-a-token', output: '{}' }));

    // Assess
    await expect(sent).rejects.toBeInstanceOf(InvalidToken);
  });

  it('answers a well-formed token of no task with TaskDoesNotExist, as AWS does, for success, failure and heartbeat', async () => {
    // Prepare: the token format the service mints, for an execution and task that never existed.
    const { functions } = callbackFunctions();
    const { sfn } = await serve(review, functions);
    const taskToken = Buffer.from(
      JSON.stringify({
        v: 1,
        e: 'arn:aws:states:us-east-1:000000000000:execution:review:ghost',
        i: 'ghost-task',
      }),
    ).toString('base64url');

    // Act + Assess
    await expect(sfn.send(new SendTaskSuccessCommand({ taskToken, output: '{}' }))).rejects.toBeInstanceOf(
      TaskDoesNotExist,
    );
    await expect(sfn.send(new SendTaskFailureCommand({ taskToken, error: 'E' }))).rejects.toBeInstanceOf(
      TaskDoesNotExist,
    );
    await expect(sfn.send(new SendTaskHeartbeatCommand({ taskToken }))).rejects.toBeInstanceOf(
      TaskDoesNotExist,
    );
  });

  it('raises SendTaskFailure into the state, where Catch takes it', async () => {
    // Prepare
    const { functions, nextToken } = callbackFunctions();
    const { sfn } = await serve(review, functions);
    const executionArn = await start(sfn, { caseId: 'C-8' });
    const token = await nextToken();

    // Act
    await sfn.send(
      new SendTaskFailureCommand({ taskToken: token, error: 'Rejected', cause: 'not recommended' }),
    );
    const described = await waitForStatus(sfn, executionArn);

    // Assess
    expect(JSON.parse(described.output ?? '').failure).toEqual({
      Error: 'Rejected',
      Cause: 'not recommended',
    });
  });

  it('times a callback out with States.Timeout when the simulated clock passes TimeoutSeconds', async () => {
    // Prepare
    const { functions, nextToken } = callbackFunctions();
    const { sfn, clock } = await serve(review, functions);
    const executionArn = await start(sfn, { caseId: 'C-9' });
    const token = await nextToken();
    clock.advance(45 * DAY - 1000);
    const before = await waitForStatus(sfn, executionArn, 'RUNNING');

    // Act
    clock.advance(1000);
    const described = await waitForStatus(sfn, executionArn);

    // Assess
    expect(before.status).toBe('RUNNING');
    expect(JSON.parse(described.output ?? '').timeout.Error).toBe('States.Timeout');
    await expect(
      sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' })),
    ).rejects.toBeInstanceOf(TaskTimedOut);
  });

  it('times a callback out when heartbeats stop, and SendTaskHeartbeat extends it', async () => {
    // Prepare
    const { functions, nextToken } = callbackFunctions();
    const { sfn, clock } = await serve(heartbeat, functions);
    const executionArn = await start(sfn, {});
    const token = await nextToken();
    clock.advance(50_000);
    await sfn.send(new SendTaskHeartbeatCommand({ taskToken: token }));
    clock.advance(50_000);
    const kept = await waitForStatus(sfn, executionArn, 'RUNNING');

    // Act
    clock.advance(11_000);
    const described = await waitForStatus(sfn, executionArn);

    // Assess
    expect(kept.status).toBe('RUNNING');
    expect(JSON.parse(described.output ?? '').timeout.Error).toBe('States.HeartbeatTimeout');
  });

  it('releases Wait states when the simulated clock reaches their time', async () => {
    // Prepare
    const functions = fakeFunctions({ [ARN.record]: () => ({}) });
    const { sfn, clock } = await serve(publicity, functions);
    const publicityEndsAt = new Date(clock.now() + 7 * DAY).toISOString();
    const executionArn = await start(sfn, { caseId: 'C-10', publicityEndsAt });
    clock.advance(7 * DAY - 1);
    const waiting = await waitForStatus(sfn, executionArn, 'RUNNING');

    // Act
    clock.advance(1);
    await eventually(async () =>
      (await history(sfn, executionArn)).find((e) => e.stateEnteredEventDetails?.name === 'Hold'),
    );
    clock.advance(3600_000);
    const described = await waitForStatus(sfn, executionArn);

    // Assess
    expect(waiting.status).toBe('RUNNING');
    expect(described.status).toBe('SUCCEEDED');
    expect(functions.calls).toEqual([
      { functionArn: ARN.record, payload: { caseId: 'C-10', publicityEndsAt } },
    ]);
    const types = (await history(sfn, executionArn)).map((e) => e.type);
    expect(types).toContain('WaitStateEntered');
    expect(types).toContain('WaitStateExited');
  });

  it('returns the same execution for the same name and input while it runs', async () => {
    // Prepare
    const { functions, nextToken } = callbackFunctions();
    const { sfn } = await serve(review, functions);
    const first = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: ARN.stateMachine,
        name: 'C-11-1',
        input: '{"caseId":"C-11"}',
      }),
    );
    await nextToken();

    // Act
    const again = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: ARN.stateMachine,
        name: 'C-11-1',
        input: '{"caseId":"C-11"}',
      }),
    );

    // Assess
    expect(again.executionArn).toBe(first.executionArn);
    expect(again.startDate).toEqual(first.startDate);
    expect(functions.calls).toHaveLength(1);
  });

  it('refuses the same name with a different input with ExecutionAlreadyExists', async () => {
    // Prepare
    const { functions } = callbackFunctions();
    const { sfn } = await serve(review, functions);
    await start(sfn, { caseId: 'C-12' }, 'C-12-1');

    // Act
    const clash = start(sfn, { caseId: 'C-12', other: true }, 'C-12-1');

    // Assess
    await expect(clash).rejects.toBeInstanceOf(ExecutionAlreadyExists);
  });

  it('stops an execution as ABORTED and closes its token', async () => {
    // Prepare
    const { functions, nextToken } = callbackFunctions();
    const { sfn } = await serve(review, functions);
    const executionArn = await start(sfn, { caseId: 'C-13' });
    const token = await nextToken();

    // Act
    await sfn.send(
      new StopExecutionCommand({ executionArn, error: 'Withdrawn', cause: 'the applicant withdrew' }),
    );
    const described = await waitForStatus(sfn, executionArn);

    // Assess
    expect(described).toMatchObject({ status: 'ABORTED', error: 'Withdrawn' });
    await expect(
      sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' })),
    ).rejects.toBeInstanceOf(TaskTimedOut);
  });

  it('times the whole execution out on the simulated clock after its TimeoutSeconds', async () => {
    // Prepare
    const { functions, nextToken } = callbackFunctions();
    const { sfn, clock } = await serve({ ...review, TimeoutSeconds: 600 }, functions);
    const executionArn = await start(sfn, { caseId: 'C-14' });
    await nextToken();

    // Act
    clock.advance(600_000);
    const described = await waitForStatus(sfn, executionArn);

    // Assess
    expect(described).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
  });

  it('refuses to start with a JSONata or $$.State definition, naming the state', async () => {
    // Prepare
    const functions = fakeFunctions({ [ARN.record]: () => ({}) });
    const jsonata = { QueryLanguage: 'JSONata', StartAt: 'A', States: { A: { Type: 'Pass', End: true } } };
    const stateRef = {
      StartAt: 'A',
      States: { A: { Type: 'Pass', Parameters: { 'entered.$': '$$.State.EnteredTime' }, End: true } },
    };

    // Act
    const refusals = [serve(jsonata, functions), serve(stateRef, functions)];

    // Assess
    await expect(refusals[0]).rejects.toThrow(/JSONata/);
    await expect(refusals[1]).rejects.toThrow(/state "A" references \$\$\.State/);
  });
});
