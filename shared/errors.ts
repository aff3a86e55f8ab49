/**
 * The one error vocabulary of Laowu. Domain code throws these; `shared/http/errors.ts` maps them to
 * the API error shape `{ error: { code, message, details? } }` in one place. Anything else that
 * escapes a handler is an internal error and is answered with a generic 500 body.
 */
export interface ErrorDetail {
  path: string;
  code: string;
  message: string;
}

export abstract class AppError extends Error {
  abstract readonly status: number;
  readonly code: string;
  readonly details: ErrorDetail[] | undefined;

  constructor(code: string, message: string, details?: ErrorDetail[], options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
  }
}

/** 400: the request is malformed (bad JSON, wrong types, unknown fields). */
export class BadRequestError extends AppError {
  readonly status = 400;
}

/** 401: no valid identity. */
export class UnauthorizedError extends AppError {
  readonly status = 401;
}

/** 403: a known identity that may not do this. */
export class ForbiddenError extends AppError {
  readonly status = 403;
}

/** 404: nothing there, or nothing the caller may know exists. */
export class NotFoundError extends AppError {
  readonly status = 404;
}

/** 409: a version or state conflict (stale If-Match, a task already completed, an illegal transition). */
export class ConflictError extends AppError {
  readonly status = 409;
}

/** 422: well-formed but not acceptable (defects, thresholds, deadline passed). */
export class UnprocessableError extends AppError {
  readonly status = 422;
}

/** 429: too many requests from one caller. */
export class TooManyRequestsError extends AppError {
  readonly status = 429;
}
