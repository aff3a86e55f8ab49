import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { z } from 'zod';
import { logger } from '../logger';

/** Thrown when a workflow step receives an input it does not understand: a definition bug, not retryable. */
export class StepInputError extends Error {
  override name = 'StepInputError';
}

/**
 * The Lambda handler of a workflow step: the state's payload is validated with zod, then handed to
 * the step. Errors propagate to Step Functions, where the state's Retry/Catch decide (their `name`
 * is the error type Step Functions matches on).
 */
export function stepHandler<S extends z.ZodType, R>(schema: S, step: (input: z.infer<S>) => Promise<R>) {
  const handle = async (event: unknown, _context: Context): Promise<R> => {
    const parsed = schema.safeParse(event);
    if (!parsed.success) {
      throw new StepInputError(
        `invalid step input: ${parsed.error.issues.map((i) => i.path.join('.') || '(root)').join(', ')}`,
      );
    }
    return step(parsed.data);
  };
  return middy(handle).use(injectLambdaContext(logger, { resetKeys: true }));
}
