import {
  type AslMachine,
  type AslState,
  asMachine,
  cloneJson,
  isRecord,
  LAMBDA_INVOKE,
  LAMBDA_INVOKE_CALLBACK,
  successors,
} from './asl';

/**
 * Definitions derived from the deployed ASL so that aws-local-stepfunctions runs it as AWS would
 * (notes/local-cloud-findings.md):
 * - every `Wait` becomes a Task with a local handler that waits on the SIMULATED clock (the library's
 *   Wait sleeps in real time);
 * - every Task gets a library timeout just under the 2^31−1 ms timer limit (default 60 s, and larger
 *   values overflow to ~1 ms); the definition's own limits are enforced by the local service instead:
 *   a callback's `TimeoutSeconds`/`HeartbeatSeconds` on the simulated clock (people's time), a Lambda
 *   invocation's `TimeoutSeconds` in real time (a function's run). `…Path` variants are resolved by the
 *   library through extra `Parameters` keys the handler strips;
 * - `$$.Execution.Input`/`StartTime` read context fields the service sets, so they stay right after a
 *   resume and inside Map iterations (the library overwrites `Execution.Input` in both);
 * - the machine-level `TimeoutSeconds` is removed (enforced by the service on the simulated clock).
 */

/** Resource of a Wait turned into a Task; it only ever runs through a local handler. */
export const WAIT_RESOURCE = 'arn:aws:states:::laowu-local:wait';
/** floor((2^31 − 1) / 1000): the longest timer Node arms without overflowing. */
export const LIBRARY_TASK_TIMEOUT_SECONDS = 2_147_483;
export const INJECTED_TIMEOUT = '__laowuTimeoutSeconds';
export const INJECTED_HEARTBEAT = '__laowuHeartbeatSeconds';
export const CONTEXT_INPUT = 'LaowuInput';
export const CONTEXT_START_TIME = 'LaowuStartTime';

export type TaskKind = 'invoke' | 'callback' | 'direct';

export interface TaskSpec {
  kind: TaskKind;
  resource: string;
  /** Static limits from the definition; the `…FromInput` flags mean the handler finds them in its input. */
  timeoutSeconds?: number;
  heartbeatSeconds?: number;
  timeoutFromInput: boolean;
  heartbeatFromInput: boolean;
}

export interface RunnableDefinition {
  definition: AslMachine;
  tasks: Map<string, TaskSpec>;
  /** Names of the Wait states that became Tasks. */
  waits: Set<string>;
  /** The type each state has in the ORIGINAL definition (history reports `WaitStateEntered`, not Task). */
  stateTypes: Map<string, string>;
  topLevel: Set<string>;
  /** The machine-level `TimeoutSeconds`, if any. */
  executionTimeoutSeconds?: number;
}

export function deriveRunnableDefinition(original: object): RunnableDefinition {
  const source = asMachine(rewriteContextPaths(cloneJson(original)));
  const out: RunnableDefinition = {
    definition: source,
    tasks: new Map(),
    waits: new Set(),
    stateTypes: new Map(),
    topLevel: new Set(Object.keys(source.States)),
  };
  const { TimeoutSeconds, ...machine } = source;
  if (typeof TimeoutSeconds === 'number') out.executionTimeoutSeconds = TimeoutSeconds;
  out.definition = deriveMachine({ ...machine, StartAt: source.StartAt, States: source.States }, out);
  return out;
}

function deriveMachine(machine: AslMachine, out: RunnableDefinition): AslMachine {
  const states: Record<string, AslState> = {};
  for (const [name, state] of Object.entries(machine.States)) {
    out.stateTypes.set(name, String(state.Type));
    states[name] = deriveState(name, state, out);
  }
  return { ...machine, States: states };
}

function deriveState(name: string, state: AslState, out: RunnableDefinition): AslState {
  switch (state.Type) {
    case 'Wait':
      out.waits.add(name);
      return waitAsTask(state);
    case 'Task': {
      const [task, spec] = taskForLibrary(state);
      out.tasks.set(name, spec);
      return task;
    }
    case 'Map': {
      const field = 'ItemProcessor' in state ? 'ItemProcessor' : 'Iterator';
      const processor = state[field];
      if (processor === undefined) return state;
      return { ...state, [field]: deriveMachine(asMachine(processor, `state "${name}"`), out) };
    }
    case 'Parallel':
      if (!Array.isArray(state.Branches)) return state;
      return {
        ...state,
        Branches: state.Branches.map((b) => deriveMachine(asMachine(b, `state "${name}"`), out)),
      };
    default:
      return state;
  }
}

/** A Wait as a Task whose handler gets `{ input, seconds | timestamp }` and returns `input` when due. */
export function waitAsTask(state: AslState): AslState {
  const { Type: _type, Seconds, Timestamp, SecondsPath, TimestampPath, ...rest } = state;
  const parameters: Record<string, unknown> = { 'input.$': '$' };
  if (Seconds !== undefined) parameters.seconds = Seconds;
  else if (Timestamp !== undefined) parameters.timestamp = Timestamp;
  else if (SecondsPath !== undefined) parameters['seconds.$'] = SecondsPath;
  else if (TimestampPath !== undefined) parameters['timestamp.$'] = TimestampPath;
  return {
    ...rest,
    Type: 'Task',
    Resource: WAIT_RESOURCE,
    Parameters: parameters,
    TimeoutSeconds: LIBRARY_TASK_TIMEOUT_SECONDS,
  };
}

export function taskForLibrary(state: AslState): [AslState, TaskSpec] {
  const { TimeoutSeconds, TimeoutSecondsPath, HeartbeatSeconds, HeartbeatSecondsPath, ...rest } = state;
  const resource = String(state.Resource);
  const kind: TaskKind = LAMBDA_INVOKE_CALLBACK.test(resource)
    ? 'callback'
    : LAMBDA_INVOKE.test(resource)
      ? 'invoke'
      : 'direct';
  const spec: TaskSpec = { kind, resource, timeoutFromInput: false, heartbeatFromInput: false };
  if (typeof TimeoutSeconds === 'number') spec.timeoutSeconds = TimeoutSeconds;
  if (kind === 'callback' && typeof HeartbeatSeconds === 'number') spec.heartbeatSeconds = HeartbeatSeconds;

  const task: AslState = { ...rest, TimeoutSeconds: LIBRARY_TASK_TIMEOUT_SECONDS };
  if (kind !== 'direct' && isRecord(rest.Parameters)) {
    const parameters = { ...rest.Parameters };
    if (typeof TimeoutSecondsPath === 'string') {
      parameters[`${INJECTED_TIMEOUT}.$`] = TimeoutSecondsPath;
      spec.timeoutFromInput = true;
    }
    if (kind === 'callback' && typeof HeartbeatSecondsPath === 'string') {
      parameters[`${INJECTED_HEARTBEAT}.$`] = HeartbeatSecondsPath;
      spec.heartbeatFromInput = true;
    }
    task.Parameters = parameters;
  } else if (typeof TimeoutSecondsPath === 'string') {
    // A direct function ARN passes its input as the payload, so nothing can be injected: the library
    // applies this timeout itself, in real time.
    delete task.TimeoutSeconds;
    task.TimeoutSecondsPath = TimeoutSecondsPath;
  }
  if (spec.heartbeatSeconds !== undefined || spec.heartbeatFromInput) {
    // On AWS a `States.Timeout` matcher also matches a heartbeat timeout; the library matches names exactly.
    for (const field of ['Retry', 'Catch'] as const) {
      const list = task[field];
      if (Array.isArray(list)) task[field] = list.map(withHeartbeatTimeout);
    }
  }
  return [task, spec];
}

function withHeartbeatTimeout(rule: unknown): unknown {
  if (!isRecord(rule) || !Array.isArray(rule.ErrorEquals)) return rule;
  const errors = rule.ErrorEquals;
  if (!errors.includes('States.Timeout') || errors.includes('States.HeartbeatTimeout')) return rule;
  return { ...rule, ErrorEquals: [...errors, 'States.HeartbeatTimeout'] };
}

/** Points `$$.Execution.Input`/`StartTime` in path fields at the context fields the service controls. */
export function rewriteContextPaths<T>(value: T, key = ''): T {
  if (typeof value === 'string') {
    if (!(key.endsWith('.$') || key.endsWith('Path') || key === 'Variable')) return value;
    return value
      .replace(/\$\$\.Execution\.Input\b/g, `$$$$.Execution.${CONTEXT_INPUT}`)
      .replace(/\$\$\.Execution\.StartTime\b/g, `$$$$.Execution.${CONTEXT_START_TIME}`) as T;
  }
  if (Array.isArray(value)) return value.map((v) => rewriteContextPaths(v, key)) as T;
  if (isRecord(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewriteContextPaths(v, k)])) as T;
  }
  return value;
}

/**
 * The definition a resumed execution runs: `StartAt` moved to the checkpointed state and every state
 * it can no longer reach removed (the library rejects unreachable states).
 */
export function deriveResumeDefinition(runnable: AslMachine, startAt: string): AslMachine {
  if (!(startAt in runnable.States)) {
    throw new Error(`cannot resume at "${startAt}": it is not a top-level state of the definition`);
  }
  const reachable = new Set<string>();
  const pending = [startAt];
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    if (reachable.has(name)) continue;
    reachable.add(name);
    const state = runnable.States[name];
    if (state) pending.push(...successors(state));
  }
  const states = Object.fromEntries(Object.entries(runnable.States).filter(([name]) => reachable.has(name)));
  return { ...runnable, StartAt: startAt, States: states };
}
