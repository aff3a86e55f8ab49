import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { describe, expect, it } from 'vitest';
import {
  deriveResumeDefinition,
  deriveRunnableDefinition,
  INJECTED_HEARTBEAT,
  INJECTED_TIMEOUT,
  LIBRARY_TASK_TIMEOUT_SECONDS,
  WAIT_RESOURCE,
} from '#local/stepfunctions/derive';

const FN = 'arn:aws:lambda:us-east-1:000000000000:function:OpenTask';

const callback = (extra: Record<string, unknown>) => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
  Parameters: { FunctionName: FN, Payload: { 'token.$': '$$.Task.Token' } },
  ...extra,
});

/** The library validates a definition when it builds a machine (reachability, paths, ARNs). */
const validate = (definition: object) => new StateMachine(definition as StateMachineDefinition);

describe('deriveRunnableDefinition', () => {
  it('turns a Wait into a local-handler Task that passes its input through', () => {
    // Prepare
    const original = {
      StartAt: 'Publicity',
      States: {
        Publicity: { Type: 'Wait', TimestampPath: '$.endsAt', InputPath: '$.case', Next: 'Done' },
        Done: { Type: 'Succeed' },
      },
    };

    // Act
    const { definition, waits, stateTypes } = deriveRunnableDefinition(original);

    // Assess
    expect(definition.States.Publicity).toEqual({
      Type: 'Task',
      Resource: WAIT_RESOURCE,
      Parameters: { 'input.$': '$', 'timestamp.$': '$.endsAt' },
      InputPath: '$.case',
      TimeoutSeconds: LIBRARY_TASK_TIMEOUT_SECONDS,
      Next: 'Done',
    });
    expect(waits).toEqual(new Set(['Publicity']));
    expect(stateTypes.get('Publicity')).toBe('Wait');
  });

  it.each([
    [{ Seconds: 60 }, { seconds: 60 }],
    [{ Timestamp: '2026-04-01T00:00:00Z' }, { timestamp: '2026-04-01T00:00:00Z' }],
    [{ SecondsPath: '$.delay' }, { 'seconds.$': '$.delay' }],
  ])('carries the Wait field %j to the handler as %j', (field, parameter) => {
    // Prepare
    const original = { StartAt: 'W', States: { W: { Type: 'Wait', ...field, End: true } } };

    // Act
    const { definition } = deriveRunnableDefinition(original);

    // Assess
    expect(definition.States.W?.Parameters).toEqual({ 'input.$': '$', ...parameter });
  });

  it('gives every Task a library timeout under the timer limit and keeps its own limits aside', () => {
    // Prepare
    const original = {
      StartAt: 'Review',
      States: { Review: callback({ TimeoutSeconds: 45 * 86_400, HeartbeatSeconds: 3600, End: true }) },
    };

    // Act
    const { definition, tasks } = deriveRunnableDefinition(original);

    // Assess
    expect(definition.States.Review?.TimeoutSeconds).toBe(LIBRARY_TASK_TIMEOUT_SECONDS);
    expect(LIBRARY_TASK_TIMEOUT_SECONDS * 1000).toBeLessThan(2 ** 31);
    expect(definition.States.Review).not.toHaveProperty('HeartbeatSeconds');
    expect(tasks.get('Review')).toMatchObject({
      kind: 'callback',
      timeoutSeconds: 3_888_000,
      heartbeatSeconds: 3600,
    });
  });

  it('resolves TimeoutSecondsPath and HeartbeatSecondsPath through extra Parameters keys', () => {
    // Prepare
    const original = {
      StartAt: 'Review',
      States: {
        Review: callback({ TimeoutSecondsPath: '$.due', HeartbeatSecondsPath: '$.beat', End: true }),
      },
    };

    // Act
    const { definition, tasks } = deriveRunnableDefinition(original);

    // Assess
    expect(definition.States.Review?.Parameters).toMatchObject({
      [`${INJECTED_TIMEOUT}.$`]: '$.due',
      [`${INJECTED_HEARTBEAT}.$`]: '$.beat',
    });
    expect(definition.States.Review).not.toHaveProperty('TimeoutSecondsPath');
    expect(tasks.get('Review')).toMatchObject({ timeoutFromInput: true, heartbeatFromInput: true });
  });

  it('lets a States.Timeout catcher of a heartbeat task also catch States.HeartbeatTimeout', () => {
    // Prepare
    const original = {
      StartAt: 'Review',
      States: {
        Review: callback({
          HeartbeatSeconds: 60,
          Catch: [{ ErrorEquals: ['States.Timeout'], Next: 'Late' }],
          End: true,
        }),
        Late: { Type: 'Succeed' },
      },
    };

    // Act
    const { definition } = deriveRunnableDefinition(original);

    // Assess
    expect(definition.States.Review?.Catch).toEqual([
      { ErrorEquals: ['States.Timeout', 'States.HeartbeatTimeout'], Next: 'Late' },
    ]);
  });

  it('points $$.Execution.Input and StartTime at context fields the service controls', () => {
    // Prepare
    const original = {
      StartAt: 'A',
      States: {
        A: {
          Type: 'Pass',
          Parameters: { 'first.$': '$$.Execution.Input.caseId', 'at.$': '$$.Execution.StartTime' },
          End: true,
        },
      },
    };

    // Act
    const { definition } = deriveRunnableDefinition(original);

    // Assess
    expect(definition.States.A?.Parameters).toEqual({
      'first.$': '$$.Execution.LaowuInput.caseId',
      'at.$': '$$.Execution.LaowuStartTime',
    });
  });

  it('moves the machine-level TimeoutSeconds out of the library definition', () => {
    // Prepare
    const original = { StartAt: 'A', TimeoutSeconds: 3600, States: { A: { Type: 'Pass', End: true } } };

    // Act
    const runnable = deriveRunnableDefinition(original);

    // Assess
    expect(runnable.executionTimeoutSeconds).toBe(3600);
    expect(runnable.definition).not.toHaveProperty('TimeoutSeconds');
  });

  it('derives Waits and Tasks inside Map processors too', () => {
    // Prepare
    const original = {
      StartAt: 'Panel',
      States: {
        Panel: {
          Type: 'Map',
          ItemProcessor: {
            StartAt: 'Pause',
            States: { Pause: { Type: 'Wait', Seconds: 1, Next: 'Score' }, Score: callback({ End: true }) },
          },
          End: true,
        },
      },
    };

    // Act
    const { definition, waits, tasks, topLevel } = deriveRunnableDefinition(original);

    // Assess
    const processor = definition.States.Panel?.ItemProcessor as { States: Record<string, { Type: string }> };
    expect(processor.States.Pause?.Type).toBe('Task');
    expect(waits.has('Pause')).toBe(true);
    expect(tasks.get('Score')?.kind).toBe('callback');
    expect(topLevel).toEqual(new Set(['Panel']));
  });

  it('produces a definition the library accepts', () => {
    // Prepare
    const original = {
      StartAt: 'Review',
      States: {
        Review: callback({ TimeoutSeconds: 3_888_000, HeartbeatSeconds: 60, Next: 'Publicity' }),
        Publicity: { Type: 'Wait', TimestampPath: '$.endsAt', Next: 'Done' },
        Done: { Type: 'Succeed' },
      },
    };

    // Act
    const { definition } = deriveRunnableDefinition(original);

    // Assess
    expect(() => validate(definition)).not.toThrow();
  });
});

describe('deriveResumeDefinition', () => {
  const workflow = {
    StartAt: 'AutoCheck',
    States: {
      AutoCheck: { Type: 'Pass', Next: 'Verdict' },
      Verdict: {
        Type: 'Choice',
        Choices: [{ Variable: '$.ok', BooleanEquals: true, Next: 'Review' }],
        Default: 'Reject',
      },
      Review: callback({ Catch: [{ ErrorEquals: ['States.Timeout'], Next: 'Expired' }], Next: 'Certify' }),
      Certify: { Type: 'Pass', Next: 'Done' },
      Expired: { Type: 'Succeed' },
      Reject: { Type: 'Fail', Error: 'Rejected' },
      Done: { Type: 'Succeed' },
    },
  };

  it('moves StartAt to the checkpointed state and prunes what it cannot reach', () => {
    // Act
    const resumed = deriveResumeDefinition(workflow, 'Review');

    // Assess
    expect(resumed.StartAt).toBe('Review');
    expect(Object.keys(resumed.States).sort()).toEqual(['Certify', 'Done', 'Expired', 'Review']);
  });

  it('keeps states reachable through a loop back to an earlier state', () => {
    // Prepare
    const looping = {
      ...workflow,
      States: { ...workflow.States, Certify: { Type: 'Pass', Next: 'AutoCheck' } },
    };

    // Act
    const resumed = deriveResumeDefinition(looping, 'Review');

    // Assess
    expect(Object.keys(resumed.States).sort()).toEqual([
      'AutoCheck',
      'Certify',
      'Expired',
      'Reject',
      'Review',
      'Verdict',
    ]);
  });

  it('gives a definition the library accepts (no unreachable states)', () => {
    // Act
    const resumed = deriveResumeDefinition(deriveRunnableDefinition(workflow).definition, 'Certify');

    // Assess
    expect(() => validate(resumed)).not.toThrow();
    expect(Object.keys(resumed.States).sort()).toEqual(['Certify', 'Done']);
  });

  it('refuses a state that is not at the top level', () => {
    // Act
    const resume = () => deriveResumeDefinition(workflow, 'Nowhere');

    // Assess
    expect(resume).toThrow(/cannot resume at "Nowhere"/);
  });
});
