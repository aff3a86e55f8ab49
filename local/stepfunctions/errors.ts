/**
 * Errors of the AWS Step Functions API, answered as `{ "__type": code, "message": … }` with HTTP 400
 * so `@aws-sdk/client-sfn` raises its modelled exception (`TaskTimedOut`, `InvalidToken`, …).
 */
export class SfnApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = code;
  }
}

/**
 * An error raised into a state: Retry/Catch match its `name` exactly and a Catch outputs
 * `{ Error: name, Cause: message }`. The library reads `isRetryable`/`isCatchable` (default true).
 */
export class StateError extends Error {
  constructor(
    name: string,
    cause: string,
    readonly isRetryable = true,
    readonly isCatchable = true,
  ) {
    super(cause);
    this.name = name;
  }
}

/** Raised into a running state when its execution is stopped: neither retried nor caught. */
export class ExecutionInterrupted extends StateError {
  constructor() {
    super(
      'Laowu.ExecutionInterrupted',
      'the local Step Functions service stopped this execution',
      false,
      false,
    );
  }
}

/**
 * The Cause of a failed Lambda invocation as AWS reports it: the function's error payload as JSON.
 */
export function lambdaError(error: unknown): StateError {
  if (error instanceof Error) {
    const errorType = error.name || 'Error';
    const trace = error.stack?.split('\n') ?? [];
    return new StateError(errorType, JSON.stringify({ errorType, errorMessage: error.message, trace }));
  }
  return new StateError(
    'Error',
    JSON.stringify({ errorType: 'Error', errorMessage: String(error), trace: [] }),
  );
}
