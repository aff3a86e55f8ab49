import { describe, expect, it } from 'vitest';
import { handler as casesApi } from '#functions/cases-api/handler';
import { handler as roundsApi } from '#functions/rounds-api/handler';
import { handler as tasksApi } from '#functions/tasks-api/handler';
import { apiEvent, lambdaContext } from '../../support/api-events';

const countyClerk = { sub: 'clerk-1', role: 'county', county: '141024' };
const applicant = { sub: 'unit-1', role: 'applicant', org: '91141024MA0K0000XX' };

async function call(api: typeof tasksApi, event: ReturnType<typeof apiEvent>) {
  const response = await api(event, lambdaContext);
  return { status: response.statusCode, body: JSON.parse(response.body ?? '{}') };
}

describe('the API edge answers bad requests with a 4xx in the error shape, never a 5xx', () => {
  it('refuses a body that is not JSON with 400 MALFORMED_JSON', async () => {
    const result = await call(
      tasksApi,
      apiEvent({
        routeKey: 'POST /v1/tasks/{taskId}/complete',
        pathParameters: { taskId: 'x.1' },
        body: '{"decision":',
        claims: countyClerk,
      }),
    );
    expect(result).toEqual({
      status: 400,
      body: { error: { code: 'MALFORMED_JSON', message: expect.any(String) } },
    });
  });

  it('refuses unknown fields (mass assignment) with 400 and names them', async () => {
    const result = await call(
      tasksApi,
      apiEvent({
        routeKey: 'POST /v1/tasks/{taskId}/complete',
        pathParameters: { taskId: 'x.1' },
        body: JSON.stringify({ decision: 'approve', opinion: '同意推荐', status: 'CERTIFIED' }),
        claims: countyClerk,
      }),
    );
    expect(result.status).toBe(400);
    expect(result.body.error.code).toBe('INVALID_REQUEST');
    expect(JSON.stringify(result.body.error.details)).toContain('UNRECOGNIZED_KEYS');
  });

  it('refuses a decision outside the vocabulary with 400', async () => {
    const result = await call(
      tasksApi,
      apiEvent({
        routeKey: 'POST /v1/tasks/{taskId}/complete',
        pathParameters: { taskId: 'x.1' },
        body: JSON.stringify({ decision: 'maybe', opinion: '再看看' }),
        claims: countyClerk,
      }),
    );
    expect(result.status).toBe(400);
    expect(result.body.error.details[0].path).toBe('body.decision');
  });

  it('answers a request without a token on a protected route with 401', async () => {
    const result = await call(tasksApi, apiEvent({ routeKey: 'GET /v1/tasks' }));
    expect(result).toEqual({
      status: 401,
      body: { error: { code: 'UNAUTHENTICATED', message: expect.any(String) } },
    });
  });

  it('answers a token missing the role claim with 401 MISSING_CLAIMS', async () => {
    const result = await call(tasksApi, apiEvent({ routeKey: 'GET /v1/tasks', claims: { sub: 'someone' } }));
    expect(result.status).toBe(401);
    expect(result.body.error.code).toBe('MISSING_CLAIMS');
  });

  it('answers county staff whose token lacks the county with 401', async () => {
    const result = await call(
      tasksApi,
      apiEvent({ routeKey: 'GET /v1/tasks', claims: { sub: 'clerk', role: 'county' } }),
    );
    expect(result.status).toBe(401);
  });

  it('answers a role that may not use a route with 403', async () => {
    const result = await call(tasksApi, apiEvent({ routeKey: 'GET /v1/tasks', claims: applicant }));
    expect(result).toEqual({
      status: 403,
      body: { error: { code: 'FORBIDDEN_ROLE', message: expect.any(String) } },
    });
  });

  it('refuses a case for a round that does not exist with 422 before touching storage', async () => {
    const result = await call(
      casesApi,
      apiEvent({
        routeKey: 'POST /v1/cases',
        body: JSON.stringify({ roundId: '1999', kind: 'brand', route: 'direct', form: {} }),
        claims: applicant,
      }),
    );
    expect(result.status).toBe(422);
    expect(result.body.error.code).toBe('ROUND_NOT_FOUND');
  });

  it('refuses a malformed case id in the path with 400', async () => {
    const result = await call(
      casesApi,
      apiEvent({
        routeKey: 'GET /v1/cases/{caseId}',
        pathParameters: { caseId: '../etc' },
        claims: applicant,
      }),
    );
    expect(result.status).toBe(400);
  });

  it('answers a route the function does not serve with 404', async () => {
    const result = await call(
      roundsApi,
      apiEvent({ routeKey: 'DELETE /v1/rounds/{roundId}', pathParameters: { roundId: '2021' } }),
    );
    expect(result.status).toBe(404);
    expect(result.body.error.code).toBe('NO_ROUTE');
  });
});

describe('GET /v1/rounds/{roundId}', () => {
  it('serves the round publicly with its counties, checklist and rubric', async () => {
    const result = await call(
      roundsApi,
      apiEvent({ routeKey: 'GET /v1/rounds/{roundId}', pathParameters: { roundId: '2021' } }),
    );
    expect(result.status).toBe(200);
    expect(result.body.roundId).toBe('2021');
    expect(result.body.counties).toHaveLength(17);
    expect(result.body.publicityWorkingDays).toBe(7);
    expect(result.body.checklist.brand.map((slot: { slot: string }) => slot.slot)).toContain(
      'training-roster',
    );
  });

  it('answers an unknown round with 404', async () => {
    const result = await call(
      roundsApi,
      apiEvent({ routeKey: 'GET /v1/rounds/{roundId}', pathParameters: { roundId: '2020' } }),
    );
    expect(result.status).toBe(404);
  });
});
