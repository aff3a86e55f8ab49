import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { importJWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiRouter } from '#local/api-router';
import { SimulatedClock } from '#local/clock';
import type { FunctionRunner } from '#local/functions';
import { createLocalIssuer, type LocalIssuer } from '#local/issuer';

// Through the router as a client sees it: API Gateway's JWT authorizer selects the key by `kid`
// from the issuer's JWKS, and a `kid` it does not list is 401 before the function runs.
const ISSUER = 'http://127.0.0.1/local/issuer';
let router: { url: string; stop(): Promise<void> };
let issuer: LocalIssuer;
let keyFile: string;
let invocations = 0;

beforeAll(async () => {
  keyFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'laowu-router-jwt-')), 'key.json');
  issuer = await createLocalIssuer({ issuer: ISSUER, audience: ['laowu'], keyFile });
  const runner = {
    invoke: async () => {
      invocations++;
      return { statusCode: 200, body: 'ok' };
    },
  } as unknown as FunctionRunner;
  router = await startApiRouter({
    api: {
      logicalId: 'Api',
      routes: [
        {
          routeKey: 'GET /v1/me',
          functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:me',
          functionLogicalId: 'Me',
          authorizationType: 'JWT',
          payloadFormatVersion: '2.0',
        },
      ],
    },
    runner,
    issuer,
    clock: new SimulatedClock(),
    isHealthy: () => true,
    port: 0,
  });
});
afterAll(async () => router.stop());

const call = (token: string) =>
  fetch(`${router.url}/v1/me`, { headers: { authorization: `Bearer ${token}` } });

describe('the local API selects the JWT verification key by kid', () => {
  it('the published JWKS lists the kid of the issued tokens, and such a token passes', async () => {
    const jwks = (await (await fetch(`${router.url}/local/issuer/jwks`)).json()) as {
      keys: { kid: string }[];
    };
    expect(jwks.keys.length).toBeGreaterThan(0);
    const answer = await call(await issuer.sign({ role: 'city' }));
    expect(answer.status).toBe(200);
  });

  it('a token with an unknown kid is 401 Unauthorized and the function is not invoked', async () => {
    const { privateJwk } = JSON.parse(fs.readFileSync(keyFile, 'utf8'));
    const token = await new SignJWT({ role: 'city' })
      .setProtectedHeader({ alg: 'RS256', kid: 'not-in-the-jwks' })
      .setSubject('city-user')
      .setIssuer(ISSUER)
      .setAudience('laowu')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(await importJWK(privateJwk, 'RS256'));
    const before = invocations;
    const answer = await call(token);
    expect(answer.status).toBe(401);
    expect(await answer.json()).toEqual({ message: 'Unauthorized' });
    expect(invocations).toBe(before);
  });
});
