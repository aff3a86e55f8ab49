import {
  type AslMachine,
  type AslState,
  allStates,
  asMachine,
  isRecord,
  LAMBDA_FUNCTION_ARN,
  LAMBDA_INVOKE,
  LAMBDA_INVOKE_CALLBACK,
  resolveFunctionArn,
} from './asl';

/** Fields holding nested machines: scanned as their own states, not as part of their parent. */
const NESTED_FIELDS = new Set(['ItemProcessor', 'Iterator', 'Branches']);

/**
 * Refuses a definition the local service would run differently from AWS (see
 * notes/local-cloud-findings.md): JSONata (the library ignores `Arguments`/`Output`), `$$.State.*`
 * (an uncatchable runtime error in the library), variables (`Assign`, ignored), and any Task whose
 * resource is not a known function or a supported Lambda integration (without a local override the
 * library would call real AWS). Every problem is reported at once, each naming its state.
 */
export function guardDefinition(definition: object, functionArns: string[]): void {
  let machine: AslMachine;
  try {
    machine = asMachine(definition);
  } catch (error) {
    throw new Error(`Refusing the state machine definition: ${(error as Error).message}`);
  }
  const problems: string[] = [];
  checkMachine(machine, 'the definition', problems);
  for (const [name, state] of allStates(machine)) checkState(name, state, functionArns, problems);
  if (problems.length > 0) {
    throw new Error(
      `Refusing the state machine definition for the local Step Functions service:\n- ${problems.join('\n- ')}`,
    );
  }
}

function checkMachine(machine: AslMachine, where: string, problems: string[]): void {
  if (machine.QueryLanguage === 'JSONata') {
    problems.push(`${where} sets QueryLanguage "JSONata"; only JSONPath runs locally`);
  }
}

function checkState(name: string, state: AslState, functionArns: string[], problems: string[]): void {
  const own = Object.entries(state).filter(([field]) => !NESTED_FIELDS.has(field));
  if (state.QueryLanguage === 'JSONata') {
    problems.push(`state "${name}" sets QueryLanguage "JSONata"; only JSONPath runs locally`);
  } else if (own.some(([, value]) => containsString(value, (s) => s.trimStart().startsWith('{%')))) {
    problems.push(`state "${name}" holds a JSONata expression ({% … %}); only JSONPath runs locally`);
  }
  for (const field of ['Arguments', 'Output', 'Assign']) {
    if (field in state) problems.push(`state "${name}" uses "${field}", which the local library ignores`);
  }
  if (own.some(([field, value]) => containsString(field, isStateRef) || containsString(value, isStateRef))) {
    problems.push(`state "${name}" references $$.State, which the local library cannot resolve`);
  }
  if (state.Type === 'Map' && ('ItemReader' in state || 'ResultWriter' in state)) {
    problems.push(`state "${name}" is a distributed Map (ItemReader/ResultWriter), not supported locally`);
  }
  if (state.Type === 'Task') checkTask(name, state, functionArns, problems);
}

function checkTask(name: string, state: AslState, functionArns: string[], problems: string[]): void {
  const resource = state.Resource;
  if (typeof resource !== 'string') {
    problems.push(`Task "${name}" has no Resource`);
    return;
  }
  if (LAMBDA_INVOKE.test(resource) || LAMBDA_INVOKE_CALLBACK.test(resource)) {
    const parameters = state.Parameters;
    if (!isRecord(parameters) || typeof parameters.FunctionName !== 'string') {
      problems.push(`Task "${name}" (${resource}) needs a static Parameters.FunctionName`);
    } else if (!resolveFunctionArn(parameters.FunctionName, functionArns)) {
      problems.push(`Task "${name}" invokes unknown function "${parameters.FunctionName}"`);
    }
    return;
  }
  if (LAMBDA_FUNCTION_ARN.test(resource)) {
    if (!resolveFunctionArn(resource, functionArns)) {
      problems.push(`Task "${name}" invokes unknown function "${resource}"`);
    }
    return;
  }
  problems.push(
    `Task "${name}" uses unsupported resource "${resource}" (supported: a known Lambda function ARN, ` +
      'arn:<partition>:states:::lambda:invoke and lambda:invoke.waitForTaskToken)',
  );
}

function isStateRef(s: string): boolean {
  return /\$\$\.State\b/.test(s);
}

function containsString(value: unknown, test: (s: string) => boolean): boolean {
  if (typeof value === 'string') return test(value);
  if (Array.isArray(value)) return value.some((v) => containsString(v, test));
  if (isRecord(value)) return Object.entries(value).some(([k, v]) => test(k) || containsString(v, test));
  return false;
}
