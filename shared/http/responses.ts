import { ZodError } from 'zod';
import { AppError, type ErrorDetail } from '../errors';
import { logger } from '../logger';

export interface HttpResponse {
  statusCode: number;
  headers?: Record<string, string>;
  body?: string;
}

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResponse {
  return { statusCode, headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify(body) };
}

/** zod issues as API defect details: `{ path, code, message }`. */
export function zodDetails(error: ZodError, prefix = ''): ErrorDetail[] {
  return error.issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter(Boolean).join('.'),
    code: issue.code.toUpperCase(),
    message: issue.message,
  }));
}

/**
 * The one place errors become HTTP responses (API.md error shape). Our own errors carry their
 * status and code; anything else is a 500 with a generic body, its details only in the log.
 */
export function errorResponse(error: unknown): HttpResponse {
  if (error instanceof AppError) {
    const body = {
      error: {
        code: error.code,
        message: error.message,
        ...(error.details ? { details: error.details } : {}),
      },
    };
    return json(error.status, body);
  }
  if (error instanceof ZodError) {
    return json(400, {
      error: { code: 'INVALID_REQUEST', message: '请求内容不符合接口约定', details: zodDetails(error) },
    });
  }
  logger.error('unhandled error', {
    error:
      error instanceof Error
        ? { name: error.name, message: error.message, stack: error.stack }
        : String(error),
  });
  return json(500, { error: { code: 'INTERNAL', message: '系统内部错误，请稍后重试' } });
}
