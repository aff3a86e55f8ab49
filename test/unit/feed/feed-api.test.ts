import { strFromU8, unzipSync } from 'fflate';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { FeedEntry } from '#shared/feed/schema';
import { apiEvent, lambdaContext } from '../../support/api-events';
import { entry } from './fixtures';

// The feed's store, in memory: a round's entries and its counter.
const store = vi.hoisted(() => ({ entries: [] as FeedEntry[] }));
vi.mock('#shared/store/feed-repository', () => ({
  readCounters: async () => ({
    version: store.entries.length,
    feed: store.entries.length,
    brand: 0,
    base: 0,
  }),
  listFeedEntries: async (_roundId: string, page: { afterSeq: number; limit: number }) => {
    const after = store.entries.filter((e) => e.seq > page.afterSeq);
    return { entries: after.slice(0, page.limit), hasMore: after.length > page.limit };
  },
}));

const { handler } = await import('#functions/feed-api/handler');

const province = { sub: 'province-1', role: 'province' };

async function pull(
  query: Record<string, string>,
  options: { claims?: Record<string, string>; headers?: Record<string, string> } = {},
) {
  const event = {
    ...apiEvent({
      routeKey: 'GET /v1/feed/certified',
      claims: options.claims ?? province,
      headers: options.headers ?? {},
    }),
    queryStringParameters: query,
  };
  const response = await handler(event, lambdaContext);
  const headers = response.headers ?? {};
  const raw = (response as { isBase64Encoded?: boolean }).isBase64Encoded
    ? Buffer.from(response.body ?? '', 'base64')
    : Buffer.from(response.body ?? '', 'utf8');
  const isJson = (headers['content-type'] ?? '').startsWith('application/json');
  return {
    status: response.statusCode,
    headers,
    raw,
    body: isJson && raw.length ? JSON.parse(raw.toString()) : undefined,
  };
}

beforeEach(() => {
  store.entries = [1, 2, 3, 4, 5].map((seq) => entry(seq));
});

describe('GET /v1/feed/certified', () => {
  it.each(['applicant', 'county', 'city', 'expert'])('refuses a %s token with 403', async (role) => {
    const claims = { sub: 'x', role, org: '91350100M000100Y43', county: '141024' };
    expect((await pull({ roundId: '2021' }, { claims })).status).toBe(403);
  });

  it('pages by cursor without gaps or repeats and says when the end is reached', async () => {
    const seen: number[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const page = await pull({ roundId: '2021', limit: '2', ...(cursor ? { cursor } : {}) });
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((item: { seq: number }) => item.seq));
      cursor = page.body.nextCursor;
      if (!page.body.hasMore) break;
    }
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    // Later: only what was appended since.
    store.entries.push(entry(6, { type: 'province-decision', recommendedToProvince: true }));
    const later = await pull({ roundId: '2021', cursor: cursor ?? '' });
    expect(later.body.items.map((item: { seq: number; type: string }) => [item.seq, item.type])).toEqual([
      [6, 'province-decision'],
    ]);
  });

  it('answers 304 to If-None-Match with the current ETag, and 200 once the page changed', async () => {
    const first = await pull({ roundId: '2021' });
    const etag = first.headers.etag ?? '';
    expect(etag).toMatch(/^".+"$/);
    const again = await pull({ roundId: '2021' }, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(again.raw.length).toBe(0);
    expect(again.headers.etag).toBe(etag);
    store.entries.push(entry(6));
    const changed = await pull({ roundId: '2021' }, { headers: { 'if-none-match': etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
  });

  it('serves CSV with a BOM and XLSX, base64-encoded, each with its own ETag', async () => {
    store.entries = [entry(1, { name: '=HYPERLINK("http://evil.example","x")' })];
    const csv = await pull({ roundId: '2021' }, { headers: { accept: 'text/csv' } });
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toMatch(
      /^attachment; filename="[^"]+\.csv"; filename\*=UTF-8''/,
    );
    expect(csv.raw.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(csv.raw.toString('utf8')).toContain(`"'=HYPERLINK(`);
    expect(csv.headers['x-has-more']).toBe('false');

    const xlsx = await pull(
      { roundId: '2021' },
      { headers: { accept: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } },
    );
    const sheet = strFromU8(
      unzipSync(new Uint8Array(xlsx.raw))['xl/worksheets/sheet1.xml'] ?? new Uint8Array(),
    );
    expect(sheet).toContain('LF-2021-PP-001');
    expect(new Set([csv.headers.etag, xlsx.headers.etag]).size).toBe(2);
  });

  it.each([
    [{ roundId: '2021', cursor: 'garbage' }, 'INVALID_CURSOR'],
    [{ roundId: '2021', limit: '0' }, 'INVALID_REQUEST'],
    [{ roundId: '2021', limit: '1001' }, 'INVALID_REQUEST'],
    [{}, 'INVALID_REQUEST'],
  ])('refuses %j with 400 %s', async (query, code) => {
    const response = await pull(query);
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe(code);
  });

  it('does not know a round that is not configured', async () => {
    expect((await pull({ roundId: '1999' })).status).toBe(404);
  });
});
