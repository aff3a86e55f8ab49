import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FEED_COLUMNS } from '#shared/feed/schema';
import { routeContracts } from '#shared/http/contract';
import { buildFeedJsonSchema, buildOpenApi } from '#shared/http/openapi';
import { API_DOC_FILES, apiDocPath } from '#shared/http/openapi-files';
import { ROUTES } from '#shared/http/routes';

type Operation = {
  operationId: string;
  security: unknown[];
  parameters?: { name: string; in: string; required: boolean }[];
  requestBody?: unknown;
  responses: Record<string, { content?: Record<string, { schema: Record<string, unknown> }> }>;
};

const spec = buildOpenApi();
const operation = (routeKey: string): Operation => {
  const [method = '', path = ''] = routeKey.split(' ');
  const paths = spec.paths as Record<string, Record<string, Operation>>;
  const found = paths[path]?.[method.toLowerCase()];
  if (!found) throw new Error(`no operation for ${routeKey}`);
  return found;
};

describe('the committed contract files', () => {
  it.each(Object.keys(API_DOC_FILES))(
    '%s is what the schemas generate (npm run openapi rewrites it)',
    (file) => {
      const committed = JSON.parse(readFileSync(apiDocPath(file as keyof typeof API_DOC_FILES), 'utf8'));
      const generated = JSON.parse(JSON.stringify(API_DOC_FILES[file as keyof typeof API_DOC_FILES]()));
      expect(committed).toEqual(generated);
    },
  );
});

describe('the OpenAPI document', () => {
  it('has one operation per route of the route table, and nothing else', () => {
    const operations = Object.entries(spec.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations.sort()).toEqual(ROUTES.map((route) => route.routeKey).sort());
  });

  it('asks for the JWT bearer on every route but the public allowlist', () => {
    for (const route of ROUTES) {
      expect(operation(route.routeKey).security, route.routeKey).toEqual(
        route.access === 'public' ? [] : [{ bearer: [] }],
      );
    }
    expect(spec.components.securitySchemes.bearer).toMatchObject({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
    });
  });

  it('declares every path parameter of a route, required, from the handler’s schema', () => {
    for (const route of ROUTES) {
      const names = [...route.routeKey.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
      const declared = (operation(route.routeKey).parameters ?? []).filter((p) => p.in === 'path');
      expect(declared.map((p) => p.name).sort(), route.routeKey).toEqual(names.sort());
      expect(declared.every((p) => p.required)).toBe(true);
    }
  });

  it('describes a body for every route whose handler reads one', () => {
    const withBody = ROUTES.filter(
      (route) => route.routeKey.startsWith('POST') || route.routeKey.startsWith('PUT'),
    )
      .map((route) => route.routeKey)
      .filter((key) => key !== 'POST /v1/cases/{caseId}/submit');
    for (const key of withBody) expect(operation(key).requestBody, key).toBeDefined();
  });

  it('answers errors in the one error shape', () => {
    for (const route of ROUTES) {
      const contract = routeContracts()[route.routeKey];
      for (const status of contract.errors) {
        expect(
          operation(route.routeKey).responses[String(status)]?.content?.['application/json']?.schema,
        ).toEqual({
          $ref: '#/components/schemas/Error',
        });
      }
    }
    expect(spec.components.schemas.Error).toMatchObject({ required: ['error'], additionalProperties: false });
  });

  it('gives unique operation ids', () => {
    const ids = ROUTES.map((route) => operation(route.routeKey).operationId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('serves the feed as JSON, CSV and XLSX, and answers 304', () => {
    const feed = operation('GET /v1/feed/certified');
    expect(Object.keys(feed.responses['200']?.content ?? {}).sort()).toEqual(
      [
        'application/json',
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'text/csv',
      ].sort(),
    );
    expect(feed.responses['304']).toBeDefined();
    expect(feed.parameters?.map((p) => p.name)).toEqual(
      expect.arrayContaining(['roundId', 'cursor', 'limit', 'If-None-Match', 'Accept']),
    );
  });
});

describe('the certified feed’s JSON Schema', () => {
  const schema = buildFeedJsonSchema() as unknown as {
    properties: Record<string, unknown>;
    $defs: { CertifiedFeedItem: { properties: Record<string, unknown>; additionalProperties: boolean } };
  };

  it('publishes exactly the contracted fields of API.md, plus the entry type', () => {
    const contracted = [
      'seq',
      'certificateNo',
      'kind',
      'name',
      'ownerUnit',
      'ownerCreditCode',
      'countyCode',
      'certifiedAt',
      'recommendedToProvince',
    ];
    const item = schema.$defs.CertifiedFeedItem;
    expect(Object.keys(item.properties).sort()).toEqual([...contracted, 'type'].sort());
    expect(item.additionalProperties).toBe(false);
    expect([...FEED_COLUMNS].sort()).toEqual([...contracted, 'type'].sort());
  });

  it('describes the page: items, the cursor to continue from and whether more follow', () => {
    expect(Object.keys(schema.properties).sort()).toEqual(['hasMore', 'items', 'nextCursor', 'roundId']);
  });
});
