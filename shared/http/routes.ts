/**
 * Every route of the public API (API.md), the function that serves it and whether it is public.
 * The CDK app creates the HTTP API routes from this table and each API function dispatches on the
 * same route keys, so the deployed routes and the code cannot drift apart.
 */
export const API_FUNCTIONS = ['cases-api', 'tasks-api', 'rounds-api', 'feed-api'] as const;
export type ApiFunctionName = (typeof API_FUNCTIONS)[number];

export interface RouteDefinition {
  readonly routeKey: string;
  readonly fn: ApiFunctionName;
  /** Public routes carry no token; every other route sits behind the JWT authorizer. */
  readonly access: 'public' | 'jwt';
}

export const ROUTES = [
  { routeKey: 'GET /v1/rounds/{roundId}', fn: 'rounds-api', access: 'public' },
  { routeKey: 'POST /v1/cases', fn: 'cases-api', access: 'jwt' },
  { routeKey: 'GET /v1/cases/{caseId}', fn: 'cases-api', access: 'jwt' },
  { routeKey: 'PUT /v1/cases/{caseId}/form', fn: 'cases-api', access: 'jwt' },
  { routeKey: 'POST /v1/cases/{caseId}/uploads', fn: 'cases-api', access: 'jwt' },
  { routeKey: 'POST /v1/cases/{caseId}/submit', fn: 'cases-api', access: 'jwt' },
  { routeKey: 'GET /v1/cases/{caseId}/forms/application.docx', fn: 'cases-api', access: 'jwt' },
  { routeKey: 'GET /v1/cases/{caseId}/rosters/{slot}/error-report', fn: 'cases-api', access: 'jwt' },
  { routeKey: 'GET /v1/cases/{caseId}/certificate.svg', fn: 'cases-api', access: 'jwt' },
  { routeKey: 'GET /v1/tasks', fn: 'tasks-api', access: 'jwt' },
  { routeKey: 'GET /v1/tasks/{taskId}', fn: 'tasks-api', access: 'jwt' },
  { routeKey: 'POST /v1/tasks/{taskId}/complete', fn: 'tasks-api', access: 'jwt' },
  { routeKey: 'GET /v1/rounds/{roundId}/dashboard', fn: 'rounds-api', access: 'jwt' },
  { routeKey: 'GET /v1/rounds/{roundId}/ranking', fn: 'rounds-api', access: 'jwt' },
  { routeKey: 'POST /v1/rounds/{roundId}/selection', fn: 'rounds-api', access: 'jwt' },
  { routeKey: 'GET /v1/rounds/{roundId}/publicity', fn: 'rounds-api', access: 'public' },
  { routeKey: 'POST /v1/rounds/{roundId}/objections', fn: 'rounds-api', access: 'public' },
  { routeKey: 'GET /v1/certificates/{certificateNo}', fn: 'rounds-api', access: 'public' },
  { routeKey: 'GET /v1/feed/certified', fn: 'feed-api', access: 'jwt' },
] as const satisfies readonly RouteDefinition[];

export type RouteKey = (typeof ROUTES)[number]['routeKey'];
export type RouteKeyOf<F extends ApiFunctionName> = Extract<(typeof ROUTES)[number], { fn: F }>['routeKey'];
