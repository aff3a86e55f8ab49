import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES, startApiRouter } from '#local/api-router';
import { SimulatedClock } from '#local/clock';
import type { FunctionRunner } from '#local/functions';
import type { LocalIssuer } from '#local/issuer';

/**
 * The router's gateway-level limits, over real sockets: API Gateway answers a body over its 10 MB
 * quota with 413 and keeps the connection, and header sections over its limits with 431.
 */
let router: { url: string; stop(): Promise<void> };
const invoked: unknown[] = [];

beforeAll(async () => {
  const runner = {
    invoke: async (_arn: string, event: { body?: string }) => {
      invoked.push(event);
      return {
        statusCode: 200,
        headers: { 'content-type': 'text/plain' },
        body: `got ${event.body?.length ?? 0}`,
      };
    },
  } as unknown as FunctionRunner;
  router = await startApiRouter({
    api: {
      logicalId: 'Api',
      routes: [
        {
          routeKey: 'POST /echo',
          functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:echo',
          functionLogicalId: 'Echo',
          authorizationType: 'NONE',
          payloadFormatVersion: '2.0',
        },
      ],
    },
    runner,
    issuer: {} as LocalIssuer,
    clock: new SimulatedClock(),
    isHealthy: () => true,
    port: 0,
  });
});
afterAll(async () => router.stop());

interface Answer {
  status: number;
  body: string;
  localPort: number | undefined;
}

function request(
  agent: http.Agent,
  method: string,
  path: string,
  options: { body?: Buffer; headers?: Record<string, string> } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${router.url}${path}`, { method, agent, headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8'),
          localPort: res.socket?.localPort,
        }),
      );
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('the local API router answers payload and header limits as API Gateway does', () => {
  it('a body over 10 MB is 413 with API Gateway’s message, the function is not invoked, and the next request on the same connection works', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      invoked.length = 0;
      const big = await request(agent, 'POST', '/echo', {
        body: Buffer.alloc(11 * 1024 * 1024, 'a'),
        headers: { 'content-type': 'text/plain' },
      });
      expect(big.status).toBe(413);
      expect(JSON.parse(big.body)).toEqual({ message: 'Request Entity Too Large' });
      expect(invoked).toHaveLength(0);

      const next = await request(agent, 'POST', '/echo', {
        body: Buffer.from('hello'),
        headers: { 'content-type': 'text/plain' },
      });
      expect(next.status).toBe(200);
      expect(next.body).toBe('got 5');
      // The very same TCP connection carried both.
      expect(next.localPort).toBe(big.localPort);
    } finally {
      agent.destroy();
    }
  });

  it('a body of exactly 10 MB still reaches the function', async () => {
    const agent = new http.Agent({ keepAlive: false });
    const answer = await request(agent, 'POST', '/echo', {
      body: Buffer.alloc(MAX_BODY_BYTES, 'a'),
      headers: { 'content-type': 'text/plain' },
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toBe(`got ${MAX_BODY_BYTES}`);
  });

  it('a chunked body over 10 MB (no Content-Length) is 413 too', async () => {
    const agent = new http.Agent({ keepAlive: false });
    const answer = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        `${router.url}/echo`,
        { method: 'POST', agent, headers: { 'content-type': 'text/plain', 'transfer-encoding': 'chunked' } },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      const chunk = Buffer.alloc(1024 * 1024, 'b');
      for (let i = 0; i < 11; i++) req.write(chunk);
      req.end();
    });
    expect(answer).toBe(413);
  });

  it('a header section over the limit is 431', async () => {
    const agent = new http.Agent({ keepAlive: false });
    const answer = await request(agent, 'POST', '/echo', {
      body: Buffer.from('x'),
      headers: { 'x-big': 'h'.repeat(20 * 1024) },
    }).catch((error: NodeJS.ErrnoException) => ({ status: -1, body: error.code ?? '', localPort: 0 }));
    expect(answer.status).toBe(431);
  });
});
