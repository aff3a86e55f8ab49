import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, Context } from 'aws-lambda';
import type { z } from 'zod';
import { BadRequestError, ForbiddenError, NotFoundError, UnauthorizedError } from '../errors';
import { logger } from '../logger';
import { type Principal, principalFromClaims, type Role } from './principal';
import { errorResponse, type HttpResponse, zodDetails } from './responses';
import { type ApiFunctionName, ROUTES, type RouteKeyOf } from './routes';

/** What a route sees: the raw event plus helpers that parse its parts with zod. */
export interface RouteRequest {
  readonly event: APIGatewayProxyEventV2WithJWTAuthorizer;
  /** The verified caller; throws 401 on a public route called without claims. */
  principal(): Principal;
  /** The caller if the route is public and a token came anyway. */
  readonly optionalPrincipal: Principal | undefined;
  /** The caller, who must hold one of these roles (403 otherwise). */
  requireRole(...roles: Role[]): Principal;
  /** The JSON body, parsed and validated (400 on malformed JSON or a schema mismatch). */
  body<S extends z.ZodType>(schema: S): z.infer<S>;
  /** Path parameters, validated. */
  params<S extends z.ZodType>(schema: S): z.infer<S>;
  /** Query string parameters, validated. */
  query<S extends z.ZodType>(schema: S): z.infer<S>;
  header(name: string): string | undefined;
}

export type RouteHandler = (request: RouteRequest) => Promise<HttpResponse>;

/**
 * Builds the Lambda handler of one API function from its routes. Every failure, including a body
 * that is not JSON or a token without the claims we need, becomes a 4xx in the API error shape
 * here — never an uncaught throw that API Gateway would turn into a 502.
 */
export function apiHandler<F extends ApiFunctionName>(fn: F, routes: Record<RouteKeyOf<F>, RouteHandler>) {
  const declared = new Set<string>(ROUTES.filter((route) => route.fn === fn).map((route) => route.routeKey));
  const table = routes as Record<string, RouteHandler>;

  const dispatch = async (
    event: APIGatewayProxyEventV2WithJWTAuthorizer,
    _context: Context,
  ): Promise<HttpResponse> => {
    try {
      const route = declared.has(event.routeKey) ? table[event.routeKey] : undefined;
      if (!route) throw new NotFoundError('NO_ROUTE', `没有这个接口：${event.routeKey}`);
      return await route(requestOf(event));
    } catch (error) {
      return errorResponse(error);
    }
  };

  return middy(dispatch).use(injectLambdaContext(logger, { resetKeys: true }));
}

function requestOf(event: APIGatewayProxyEventV2WithJWTAuthorizer): RouteRequest {
  const claims = event.requestContext.authorizer?.jwt?.claims;
  let principal: Principal | undefined;
  const resolvePrincipal = (): Principal => {
    if (!claims) throw new UnauthorizedError('UNAUTHENTICATED', '需要登录');
    principal ??= principalFromClaims(claims);
    return principal;
  };
  return {
    event,
    principal: resolvePrincipal,
    get optionalPrincipal() {
      return claims ? resolvePrincipal() : undefined;
    },
    requireRole(...roles) {
      const caller = resolvePrincipal();
      if (!roles.includes(caller.role)) throw new ForbiddenError('FORBIDDEN_ROLE', '当前身份无权执行此操作');
      return caller;
    },
    body(schema) {
      return validate(schema, parseJsonBody(event), 'body');
    },
    params(schema) {
      return validate(schema, event.pathParameters ?? {}, 'path');
    },
    query(schema) {
      return validate(schema, event.queryStringParameters ?? {}, 'query');
    },
    header(name) {
      const wanted = name.toLowerCase();
      for (const [key, value] of Object.entries(event.headers ?? {}))
        if (key.toLowerCase() === wanted) return value;
      return undefined;
    },
  };
}

function parseJsonBody(event: APIGatewayProxyEventV2WithJWTAuthorizer): unknown {
  if (event.body === undefined || event.body === '')
    throw new BadRequestError('MISSING_BODY', '请求缺少 JSON 内容');
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  try {
    return JSON.parse(text);
  } catch {
    throw new BadRequestError('MALFORMED_JSON', '请求内容不是合法的 JSON');
  }
}

function validate<S extends z.ZodType>(schema: S, value: unknown, where: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new BadRequestError('INVALID_REQUEST', '请求内容不符合接口约定', zodDetails(parsed.error, where));
  }
  return parsed.data;
}
