import { z } from 'zod';
import { feedPageSchema } from '../feed/schema';
import { errorBodySchema, type RouteContract, routeContracts } from './contract';
import { ROUTES } from './routes';

/**
 * `docs/openapi.json` (OpenAPI 3.1, JSON Schema 2020-12) generated from the route table, the request
 * schemas the handlers validate with, and the response schemas of `contract.ts`; and the certified
 * feed's JSON Schema. Pure: `npm run openapi` writes the files, a unit test checks they are current.
 */
type JsonSchema = Record<string, unknown>;

const COMPONENTS = '#/components/schemas/';

interface Converted {
  schema: JsonSchema;
  defs: Record<string, JsonSchema>;
}

/** One zod schema as JSON Schema; definitions with an `id` are lifted out to be shared. */
function convert(schema: z.ZodType, io: 'input' | 'output', refBase = COMPONENTS): Converted {
  const json = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
    reused: 'inline',
  }) as JsonSchema;
  const { $schema: _schema, $defs, ...rest } = json;
  const rewrite = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(rewrite);
    if (value && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value).map(([key, inner]) =>
          key === '$ref' && typeof inner === 'string' && inner.startsWith('#/$defs/')
            ? [key, `${refBase}${inner.slice('#/$defs/'.length)}`]
            : [key, rewrite(inner)],
        ),
      );
    }
    return value;
  };
  const defs = Object.fromEntries(
    Object.entries(($defs ?? {}) as Record<string, JsonSchema>).map(([name, def]) => [
      name,
      rewrite(def) as JsonSchema,
    ]),
  );
  return { schema: rewrite(rest) as JsonSchema, defs };
}

function parameters(contract: RouteContract, components: Record<string, JsonSchema>) {
  const list: JsonSchema[] = [];
  const add = (where: 'path' | 'query', object: z.ZodObject | undefined) => {
    if (!object) return;
    const { schema, defs } = convert(object, 'input');
    Object.assign(components, defs);
    const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set((schema.required ?? []) as string[]);
    for (const [name, property] of Object.entries(properties)) {
      const { description, ...propertySchema } = property;
      list.push({
        name,
        in: where,
        required: where === 'path' || required.has(name),
        ...(typeof description === 'string' ? { description } : {}),
        schema: propertySchema,
      });
    }
  };
  add('path', contract.params);
  add('query', contract.query);
  for (const header of contract.headers ?? []) {
    list.push({
      name: header.name,
      in: 'header',
      required: header.required ?? false,
      description: header.description,
      schema: { type: 'string' },
    });
  }
  return list;
}

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Malformed: bad JSON, wrong types, unknown fields, a bad cursor',
  401: 'No valid token',
  403: 'Not allowed for this role or outside the window',
  404: 'Nothing there, or nothing the caller may know exists',
  409: 'Version or state conflict',
  422: 'Well-formed but not acceptable',
  429: 'Too many requests',
};

export function buildOpenApi() {
  const components: Record<string, JsonSchema> = {};
  const contracts = routeContracts();
  const error = convert(errorBodySchema, 'output');
  Object.assign(components, error.defs);
  const errorRef = { $ref: `${COMPONENTS}Error` };

  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of ROUTES) {
    const contract = contracts[route.routeKey];
    const [method = '', path = ''] = route.routeKey.split(' ');
    const responses: Record<string, JsonSchema> = {};
    for (const [status, response] of Object.entries(contract.responses)) {
      const content: Record<string, JsonSchema> = {};
      if (response.schema) {
        const converted = convert(response.schema, 'output');
        Object.assign(components, converted.defs);
        content['application/json'] = { schema: converted.schema };
      }
      for (const [mediaType, description] of Object.entries(response.files ?? {})) {
        content[mediaType] = { schema: { type: 'string', contentMediaType: mediaType, description } };
      }
      responses[status] = {
        description: response.description,
        ...(response.headers
          ? {
              headers: Object.fromEntries(
                Object.entries(response.headers).map(([name, description]) => [
                  name,
                  { description, schema: { type: 'string' } },
                ]),
              ),
            }
          : {}),
        ...(Object.keys(content).length > 0 ? { content } : {}),
      };
    }
    for (const status of contract.errors) {
      responses[String(status)] = {
        description: ERROR_DESCRIPTIONS[status] ?? 'Error',
        content: { 'application/json': { schema: errorRef } },
      };
    }
    let requestBody: JsonSchema | undefined;
    if (contract.body) {
      const converted = convert(contract.body, 'input');
      Object.assign(components, converted.defs);
      requestBody = { required: true, content: { 'application/json': { schema: converted.schema } } };
    }
    const parameterList = parameters(contract, components);
    paths[path] ??= {};
    paths[path][method.toLowerCase()] = {
      operationId: contract.operationId,
      summary: contract.summary,
      description: [contract.description, `Who: ${contract.who}.`].filter(Boolean).join('\n\n'),
      tags: [contract.tag],
      security: route.access === 'public' ? [] : [{ bearer: [] }],
      'x-laowu-function': route.fn,
      ...(contract.extension ? { 'x-laowu-extension': true } : {}),
      ...(parameterList.length > 0 ? { parameters: parameterList } : {}),
      ...(requestBody ? { requestBody } : {}),
      responses,
    };
  }

  return {
    openapi: '3.1.0',
    info: {
      title: 'Laowu 劳务 API',
      version: '1',
      description:
        'The /v1 contract of ../shared/API.md, generated from the zod schemas the handlers validate with (`npm run openapi`). Routes marked `x-laowu-extension` extend API.md (docs/api-extensions.md). Times are ISO 8601 with offset.',
    },
    servers: [{ url: 'http://127.0.0.1:3000', description: 'The local runtime (`npm start`)' }],
    tags: [
      { name: 'rounds', description: 'Each year’s call, selection and publicity' },
      { name: 'cases', description: 'Applications, evidence, submission and documents' },
      { name: 'tasks', description: 'Staff and expert tasks' },
      { name: 'certificates', description: 'Certificates and their public verification' },
      { name: 'feed', description: 'The certified feed the province pulls' },
    ],
    paths,
    components: {
      schemas: Object.fromEntries(Object.entries(components).sort(([a], [b]) => a.localeCompare(b))),
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            'A JWT of the OIDC provider the API trusts (claims: sub, role, org for applicants, county for county staff).',
        },
      },
    },
  };
}

/** The certified feed page (API responses and the JSON export snapshot) as a standalone JSON Schema. */
export function buildFeedJsonSchema() {
  const { schema, defs } = convert(feedPageSchema, 'output', '#/$defs/');
  // The page itself is the root, not a reference to one of the definitions.
  const rootRef = typeof schema.$ref === 'string' ? schema.$ref.slice('#/$defs/'.length) : undefined;
  const { [rootRef ?? '']: root, ...rest } = defs;
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://laowu.example.gov.cn/schemas/certified-feed.schema.json',
    ...(rootRef && root ? root : schema),
    ...(Object.keys(rest).length > 0 ? { $defs: rest } : {}),
  };
}
