/**
 * Small, typed helpers over an Amazon States Language (JSONPath) definition. The definition is
 * plain JSON from the synthesized template; we keep it loosely typed and narrow where we read it.
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type AslState = Record<string, unknown>;
export interface AslMachine {
  StartAt: string;
  States: Record<string, AslState>;
  [field: string]: unknown;
}

export const LAMBDA_INVOKE = /^arn:[\w-]+:states:::lambda:invoke$/;
export const LAMBDA_INVOKE_CALLBACK = /^arn:[\w-]+:states:::lambda:invoke\.waitForTaskToken$/;
export const LAMBDA_FUNCTION_ARN = /^arn:[^:]+:lambda:[^:]+:[^:]+:function:[^:]+(:[^:]+)?$/;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function asMachine(definition: unknown, where = 'definition'): AslMachine {
  if (!isRecord(definition) || typeof definition.StartAt !== 'string' || !isRecord(definition.States)) {
    throw new Error(`${where}: not a state machine (needs StartAt and States)`);
  }
  const states: Record<string, AslState> = {};
  for (const [name, state] of Object.entries(definition.States)) {
    if (!isRecord(state)) throw new Error(`${where}: state "${name}" is not an object`);
    states[name] = state;
  }
  return { ...definition, StartAt: definition.StartAt, States: states };
}

/** The sub-machines a state holds: a Map's processor, a Parallel's branches. */
export function subMachines(state: AslState, name: string): AslMachine[] {
  if (state.Type === 'Map') {
    const processor = state.ItemProcessor ?? state.Iterator;
    return processor === undefined ? [] : [asMachine(processor, `state "${name}" ItemProcessor`)];
  }
  if (state.Type === 'Parallel' && Array.isArray(state.Branches)) {
    return state.Branches.map((branch, i) => asMachine(branch, `state "${name}" branch ${i}`));
  }
  return [];
}

/** Every state of a machine and of its nested machines, depth first (names are unique in ASL). */
export function* allStates(machine: AslMachine): Generator<[string, AslState]> {
  for (const [name, state] of Object.entries(machine.States)) {
    yield [name, state];
    for (const sub of subMachines(state, name)) yield* allStates(sub);
  }
}

/** The states a state can move to: Next, Choice rules and Default, Catch targets. */
export function successors(state: AslState): string[] {
  const next: string[] = [];
  if (typeof state.Next === 'string') next.push(state.Next);
  if (typeof state.Default === 'string') next.push(state.Default);
  for (const list of [state.Choices, state.Catch]) {
    if (!Array.isArray(list)) continue;
    for (const rule of list) if (isRecord(rule) && typeof rule.Next === 'string') next.push(rule.Next);
  }
  return next;
}

/**
 * The known function a Task names: an exact ARN, an ARN with a version or alias qualifier, or a bare
 * function name. Returns the canonical known ARN, so the invoker always sees one of `functionArns`.
 */
export function resolveFunctionArn(nameOrArn: string, functionArns: readonly string[]): string | undefined {
  if (functionArns.includes(nameOrArn)) return nameOrArn;
  const unqualified = nameOrArn.match(/^(arn:[^:]+:lambda:[^:]+:[^:]+:function:[^:]+):[^:]+$/)?.[1];
  if (unqualified && functionArns.includes(unqualified)) return unqualified;
  if (!nameOrArn.includes(':')) return functionArns.find((arn) => arn.split(':')[6] === nameOrArn);
  return undefined;
}

/** Deep copy as JSON: a definition is JSON, so an `undefined` field must not survive as a key. */
export function cloneJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** JSON with object keys sorted, so equal payloads give equal strings. */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (isRecord(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${stableStringify(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
