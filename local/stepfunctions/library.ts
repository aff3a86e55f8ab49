import { type RunOptions, StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import type { AslMachine } from './asl';
import { StateError } from './errors';

/** The thin seam to aws-local-stepfunctions: its types, machine construction, and its timeout error. */
export type LocalHandlers = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;
export type LibraryRun = ReturnType<StateMachine['run']>;
export type LibraryEvent = LibraryRun['eventLogs'] extends AsyncGenerator<infer E> ? E : never;

/**
 * Builds a library machine. Validation (asl-validator) costs 100–500 ms per definition, so it runs
 * once for the definition the service is started with; definitions derived from an already
 * validated one (resumes, stored definitions) skip it.
 */
export function libraryMachine(definition: AslMachine, validate: boolean): StateMachine {
  const key = validate ? JSON.stringify(definition) : '';
  const check = validate && !validated.has(key);
  const machine = new StateMachine(definition as unknown as StateMachineDefinition, {
    validationOptions: check ? { checkArn: true, checkPaths: true } : { noValidate: true },
  });
  if (check) validated.add(key);
  return machine;
}

/** Definitions already validated in this process (a restart in-process need not pay again). */
const validated = new Set<string>();

let timeoutClass: (new () => Error) | undefined;

/**
 * A `States.Timeout` (or `States.HeartbeatTimeout`) error the library treats as its own: its
 * `States.TaskFailed` matcher excludes timeouts with `instanceof` on a class it does not export, so
 * we obtain that class once from a 1 ms library timeout (no validation, so a fractional
 * TimeoutSeconds is accepted).
 */
export async function loadTimeoutErrorClass(): Promise<void> {
  if (timeoutClass) return;
  const probe = libraryMachine(
    {
      StartAt: 'Probe',
      States: {
        Probe: { Type: 'Task', Resource: 'arn:aws:states:::probe', TimeoutSeconds: 0.001, End: true },
      },
    },
    false,
  );
  let release = () => {};
  const execution = probe.run(null, {
    overrides: {
      taskResourceLocalHandlers: {
        Probe: () =>
          new Promise((resolve) => {
            release = () => resolve(null);
          }),
      },
    },
  });
  try {
    await execution.result;
  } catch (error) {
    const cause = error instanceof Error ? error.cause : undefined;
    if (cause instanceof Error && cause.name === 'States.Timeout') {
      timeoutClass = Object.getPrototypeOf(cause).constructor as new () => Error;
    }
  } finally {
    release();
  }
}

export function timeoutError(name: 'States.Timeout' | 'States.HeartbeatTimeout'): Error {
  if (!timeoutClass) return new StateError(name, name);
  const error = new timeoutClass();
  error.name = name;
  error.message = name;
  return error;
}
