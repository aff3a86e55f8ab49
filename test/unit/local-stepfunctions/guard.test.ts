import { describe, expect, it } from 'vitest';
import { guardDefinition } from '#local/stepfunctions/guard';

const FN = 'arn:aws:lambda:us-east-1:000000000000:function:OpenTask';
const known = [FN];

const task = (extra: Record<string, unknown> = {}) => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke',
  Parameters: { FunctionName: FN, 'Payload.$': '$' },
  End: true,
  ...extra,
});

const machine = (states: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  StartAt: Object.keys(states)[0],
  States: states,
  ...extra,
});

describe('guardDefinition', () => {
  it('accepts lambda:invoke, callback and direct-ARN tasks on known functions', () => {
    // Prepare
    const definition = machine({
      Invoke: task({ End: undefined, Next: 'Callback' }),
      Callback: task({
        Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
        Parameters: { FunctionName: FN, Payload: { 'token.$': '$$.Task.Token' } },
        End: undefined,
        Next: 'Direct',
      }),
      Direct: { Type: 'Task', Resource: FN, End: true },
    });

    // Act
    const guard = () => guardDefinition(definition, known);

    // Assess
    expect(guard).not.toThrow();
  });

  it('accepts a function named with a version qualifier or by its bare name', () => {
    // Prepare
    const definition = machine({
      Qualified: task({ Parameters: { FunctionName: `${FN}:$LATEST` }, End: undefined, Next: 'Bare' }),
      Bare: task({ Parameters: { FunctionName: 'OpenTask' } }),
    });

    // Act
    const guard = () => guardDefinition(definition, known);

    // Assess
    expect(guard).not.toThrow();
  });

  it('refuses a machine-level JSONata query language', () => {
    // Prepare
    const definition = machine({ A: { Type: 'Pass', End: true } }, { QueryLanguage: 'JSONata' });

    // Act
    const guard = () => guardDefinition(definition, known);

    // Assess
    expect(guard).toThrow(/the definition sets QueryLanguage "JSONata"/);
  });

  it('refuses a JSONata state and a JSONata expression, naming each state', () => {
    // Prepare
    const definition = machine({
      A: { Type: 'Pass', QueryLanguage: 'JSONata', Next: 'B' },
      B: { Type: 'Pass', Output: '{% $states.input %}', End: true },
    });

    // Act
    const guard = () => guardDefinition(definition, known);

    // Assess
    expect(guard).toThrow(
      /state "A" sets QueryLanguage "JSONata"[\s\S]*state "B" holds a JSONata expression/,
    );
  });

  it('refuses $$.State references, also inside a Map processor', () => {
    // Prepare
    const definition = machine({
      Panel: {
        Type: 'Map',
        ItemProcessor: machine({
          Score: task({ Parameters: { FunctionName: FN, Payload: { 'entered.$': '$$.State.EnteredTime' } } }),
        }),
        End: true,
      },
    });

    // Act
    const guard = () => guardDefinition(definition, known);

    // Assess
    expect(guard).toThrow(/state "Score" references \$\$\.State/);
  });

  it('refuses a task on a function it does not know', () => {
    // Prepare
    const definition = machine({
      A: task({ Parameters: { FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:Other' } }),
    });

    // Act
    const guard = () => guardDefinition(definition, known);

    // Assess
    expect(guard).toThrow(/Task "A" invokes unknown function ".*:function:Other"/);
  });

  it('refuses a function name taken from the input, which cannot be checked', () => {
    // Prepare
    const definition = machine({ A: task({ Parameters: { 'FunctionName.$': '$.fn' } }) });

    // Act
    const guard = () => guardDefinition(definition, known);

    // Assess
    expect(guard).toThrow(/Task "A" .* needs a static Parameters.FunctionName/);
  });

  it('refuses other service integrations, which would call real AWS', () => {
    // Prepare
    const definition = machine({
      Put: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', Parameters: {}, End: true },
    });

    // Act
    const guard = () => guardDefinition(definition, known);

    // Assess
    expect(guard).toThrow(/Task "Put" uses unsupported resource "arn:aws:states:::dynamodb:putItem"/);
  });

  it('refuses variables (Assign), which the library ignores', () => {
    // Prepare
    const definition = machine({ A: { Type: 'Pass', Assign: { x: 1 }, End: true } });

    // Act
    const guard = () => guardDefinition(definition, known);

    // Assess
    expect(guard).toThrow(/state "A" uses "Assign"/);
  });

  it('refuses something that is not a state machine', () => {
    // Act
    const guard = () => guardDefinition({ States: {} }, known);

    // Assess
    expect(guard).toThrow(/not a state machine/);
  });
});
