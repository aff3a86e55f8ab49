/**
 * Turns a state machine's `DefinitionString` (an `Fn::Join` over strings and intrinsics) into
 * plain ASL for assertions: every intrinsic becomes a placeholder inside its JSON string.
 */
export function aslOf(definitionString: unknown): AslDefinition {
  if (typeof definitionString === 'string') return JSON.parse(definitionString);
  const join = (definitionString as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
  const text = join[1].map((part) => (typeof part === 'string' ? part : 'INTRINSIC')).join(join[0]);
  return JSON.parse(text);
}

export interface AslState {
  Type: string;
  Resource?: string;
  TimeoutSeconds?: number;
  Retry?: { ErrorEquals: string[]; BackoffRate?: number; IntervalSeconds?: number; MaxAttempts?: number }[];
  Catch?: { ErrorEquals: string[]; Next: string }[];
  Parameters?: Record<string, unknown>;
  Seconds?: number;
  SecondsPath?: string;
  Timestamp?: string;
  TimestampPath?: string;
  ItemsPath?: string;
  ItemSelector?: Record<string, unknown>;
  ResultPath?: string | null;
  Iterator?: AslDefinition;
  ItemProcessor?: AslDefinition;
  Branches?: AslDefinition[];
}

export interface AslDefinition {
  StartAt: string;
  States: Record<string, AslState>;
  QueryLanguage?: string;
}

/** Every state, including those nested in Map and Parallel states. */
export function allStates(definition: AslDefinition): [string, AslState][] {
  return Object.entries(definition.States).flatMap(([name, state]) => [
    [name, state] as [string, AslState],
    ...[state.Iterator, state.ItemProcessor, ...(state.Branches ?? [])].flatMap((inner) =>
      inner ? allStates(inner) : [],
    ),
  ]);
}
