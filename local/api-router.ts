import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { parseIsoDuration, type SimulatedClock } from './clock';
import type { ConsoleHandler } from './console';
import type { FunctionRunner } from './functions';
import { type LocalIssuer, tokenRequestSchema } from './issuer';
import type { LocalHttpApi, LocalRoute } from './template';

/**
 * The HTTP API of the template, served locally: requests become API Gateway HTTP API (payload 2.0)
 * events for the very functions the routes integrate, JWTs are checked as the authorizer checks
 * them and their claims placed where it places them, and gateway-level answers (401, 404, 500)
 * read as API Gateway writes them. Beside it, the local-only routes of API.md.
 */
export interface RouterOptions {
  api: LocalHttpApi;
  runner: FunctionRunner;
  issuer: LocalIssuer;
  clock: SimulatedClock;
  isHealthy(): boolean;
  port: number;
  host?: string;
  /** The web console's static files, served from the same origin for paths no route takes. */
  console?: ConsoleHandler;
}

interface CompiledRoute {
  route: LocalRoute;
  method: string;
  pattern: RegExp;
  params: string[];
}

function compile(route: LocalRoute): CompiledRoute | undefined {
  const [method, path] = route.routeKey.split(' ');
  if (!method || !path) return undefined;
  const params: string[] = [];
  const source = path
    .split('/')
    .map((segment) => {
      const greedy = /^\{(\w+)\+\}$/.exec(segment);
      if (greedy?.[1]) {
        params.push(greedy[1]);
        return '(.+)';
      }
      const param = /^\{(\w+)\}$/.exec(segment);
      if (param?.[1]) {
        params.push(param[1]);
        return '([^/]+)';
      }
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { route, method, pattern: new RegExp(`^${source}$`), params };
}

const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' };

export async function startApiRouter(
  options: RouterOptions,
): Promise<{ url: string; stop(): Promise<void> }> {
  const routes = options.api.routes
    .map(compile)
    .filter((route): route is CompiledRoute => route !== undefined);
  const cors = options.api.cors;

  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const body = await readBody(req);
      if (body === TOO_LARGE) {
        // API Gateway's answer above its 10 MB payload quota. The rest of the body was read and
        // dropped, so the keep-alive connection stays usable for the next request.
        res.writeHead(413, JSON_TYPE);
        res.end(JSON.stringify({ message: 'Request Entity Too Large' }));
        return;
      }
      const origin = req.headers.origin;
      const corsHeaders: Record<string, string> =
        cors && origin && (cors.allowOrigins.includes('*') || cors.allowOrigins.includes(origin))
          ? {
              'access-control-allow-origin': origin,
              'access-control-expose-headers': cors.exposeHeaders.join(','),
              vary: 'origin',
            }
          : {};
      const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { ...JSON_TYPE, ...corsHeaders, ...headers });
        res.end(typeof payload === 'string' ? payload : JSON.stringify(payload));
      };

      if (req.method === 'OPTIONS' && cors) {
        res.writeHead(204, {
          ...corsHeaders,
          'access-control-allow-methods': cors.allowMethods.join(','),
          'access-control-allow-headers': cors.allowHeaders.join(','),
          ...(cors.maxAgeSeconds ? { 'access-control-max-age': String(cors.maxAgeSeconds) } : {}),
        });
        res.end();
        return;
      }

      const local = await localRoute(options, req.method ?? 'GET', url.pathname, body);
      if (local) return send(local.status, local.body);

      const match = matchRoute(routes, req.method ?? 'GET', url.pathname);
      if (!match) {
        if (options.console && (await options.console(req, res))) return;
        return send(404, { message: 'Not Found' });
      }

      let claims: Record<string, string> | undefined;
      if (match.route.route.authorizationType === 'JWT') {
        const header = req.headers.authorization ?? '';
        const token = /^Bearer\s+(.+)$/i.exec(header)?.[1];
        claims = token ? await options.issuer.verify(token) : undefined;
        if (!claims) return send(401, { message: 'Unauthorized' }, { 'www-authenticate': 'Bearer' });
      }

      const event = apiGatewayEvent(req, url, body, match, claims);
      let result: unknown;
      try {
        result = await options.runner.invoke(match.route.route.functionArn, event);
      } catch {
        return send(500, { message: 'Internal Server Error' });
      }
      const response = normaliseResponse(result);
      res.writeHead(response.statusCode, { ...corsHeaders, ...response.headers });
      res.end(response.body);
    } catch (error) {
      res.writeHead(500, JSON_TYPE);
      res.end(JSON.stringify({ message: 'Internal Server Error' }));
      console.error('[local api]', error);
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const clockSchema = z.union([
  z.strictObject({ now: z.iso.datetime({ offset: true }) }),
  z.strictObject({ advance: z.string() }),
]);

async function localRoute(
  options: RouterOptions,
  method: string,
  path: string,
  body: Buffer,
): Promise<{ status: number; body: unknown } | undefined> {
  const error = (status: number, code: string, message: string, details?: unknown) => ({
    status,
    body: { error: { code, message, ...(details ? { details } : {}) } },
  });
  const parse = () => {
    try {
      return { ok: true as const, value: JSON.parse(body.toString('utf8') || '{}') as unknown };
    } catch {
      return { ok: false as const };
    }
  };

  if (method === 'GET' && path === '/health') {
    return options.isHealthy()
      ? { status: 200, body: { status: 'ok' } }
      : { status: 503, body: { status: 'starting' } };
  }
  if (method === 'GET' && path === '/local/issuer/.well-known/openid-configuration') {
    return {
      status: 200,
      body: {
        issuer: options.issuer.issuer,
        jwks_uri: `${options.issuer.issuer}/jwks`,
        id_token_signing_alg_values_supported: ['RS256'],
      },
    };
  }
  if (method === 'GET' && path === '/local/issuer/jwks') return { status: 200, body: options.issuer.jwks() };
  if (method === 'POST' && path === '/local/token') {
    const json = parse();
    if (!json.ok) return error(400, 'MALFORMED_JSON', '请求内容不是合法的 JSON');
    const request = tokenRequestSchema.safeParse(json.value);
    if (!request.success) {
      return error(
        400,
        'INVALID_REQUEST',
        'role 为 applicant|county|city|expert|province；applicant 需要 org，county 需要 county',
        request.error.issues,
      );
    }
    return { status: 200, body: { token: await options.issuer.sign(request.data) } };
  }
  if (path === '/local/clock') {
    if (method === 'GET') return { status: 200, body: { now: new Date(options.clock.now()).toISOString() } };
    if (method !== 'POST') return error(405, 'METHOD_NOT_ALLOWED', 'GET or POST');
    const json = parse();
    if (!json.ok) return error(400, 'MALFORMED_JSON', '请求内容不是合法的 JSON');
    const request = clockSchema.safeParse(json.value);
    if (!request.success)
      return error(400, 'INVALID_REQUEST', 'body is { "now": ISO 8601 } or { "advance": "P8D" }');
    try {
      if ('now' in request.data) options.clock.set(Date.parse(request.data.now));
      else {
        const ms = parseIsoDuration(request.data.advance);
        if (ms === undefined)
          return error(400, 'INVALID_DURATION', 'advance takes an ISO 8601 duration such as P8D or PT2H');
        options.clock.advance(ms);
      }
    } catch (failure) {
      return error(409, 'CLOCK_BACKWARDS', failure instanceof Error ? failure.message : String(failure));
    }
    return { status: 200, body: { now: new Date(options.clock.now()).toISOString() } };
  }
  return undefined;
}

function matchRoute(routes: CompiledRoute[], method: string, path: string) {
  for (const route of routes) {
    if (route.method !== method && route.method !== 'ANY') continue;
    const found = route.pattern.exec(path);
    if (!found) continue;
    const pathParameters = Object.fromEntries(
      route.params.map((name, i) => [name, decodeURIComponent(found[i + 1] ?? '')]),
    );
    return { route, pathParameters };
  }
  return undefined;
}

const TEXT_TYPES = /^(application\/(json|xml|x-www-form-urlencoded)|text\/)/i;

function apiGatewayEvent(
  req: http.IncomingMessage,
  url: URL,
  body: Buffer,
  match: { route: CompiledRoute; pathParameters: Record<string, string> },
  claims: Record<string, string> | undefined,
) {
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined && key !== 'cookie')
      headers[key.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  const query: Record<string, string> = {};
  for (const [key, value] of url.searchParams) query[key] = key in query ? `${query[key]},${value}` : value;
  const textual = TEXT_TYPES.test(headers['content-type'] ?? 'application/json');
  const now = new Date();
  return {
    version: '2.0',
    routeKey: match.route.route.routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    ...(req.headers.cookie ? { cookies: req.headers.cookie.split(/;\s*/) } : {}),
    headers,
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    ...(match.route.params.length ? { pathParameters: match.pathParameters } : {}),
    ...(body.length ? { body: textual ? body.toString('utf8') : body.toString('base64') } : {}),
    isBase64Encoded: body.length > 0 && !textual,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'localhost',
      http: {
        method: req.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: match.route.route.routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
      ...(claims ? { authorizer: { jwt: { claims, scopes: null } } } : {}),
    },
  };
}

/** Payload 2.0 responses: a `{ statusCode, … }` object is used as is, anything else is JSON 200. */
function normaliseResponse(result: unknown): {
  statusCode: number;
  headers: Record<string, string>;
  body: string | Buffer;
} {
  if (result && typeof result === 'object' && 'statusCode' in result) {
    const r = result as {
      statusCode: number;
      headers?: Record<string, string>;
      body?: string;
      isBase64Encoded?: boolean;
    };
    return {
      statusCode: r.statusCode,
      headers: r.headers ?? {},
      body: r.body === undefined ? '' : r.isBase64Encoded ? Buffer.from(r.body, 'base64') : r.body,
    };
  }
  return { statusCode: 200, headers: JSON_TYPE, body: JSON.stringify(result) };
}

/** API Gateway's HTTP API payload quota (10 MB), applied to the request body. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;
const TOO_LARGE = Symbol('too large');

/**
 * Reads the body up to the quota. Past it the request is read to its end and discarded rather than
 * abandoned: answering before the body is consumed leaves the client writing into a socket Node
 * then resets, and the next request on that keep-alive connection would fail.
 */
async function readBody(req: http.IncomingMessage): Promise<Buffer | typeof TOO_LARGE> {
  const declared = Number(req.headers['content-length']);
  const chunks: Buffer[] = [];
  let size = 0;
  let over = Number.isFinite(declared) && declared > MAX_BODY_BYTES;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) over = true;
    if (!over) chunks.push(chunk as Buffer);
  }
  return over ? TOO_LARGE : Buffer.concat(chunks);
}
