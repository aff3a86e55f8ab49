import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildFeedJsonSchema, buildOpenApi } from './openapi';

/**
 * The generated contract files under `docs/`, kept in the repository so readers need no build;
 * `npm run openapi` rewrites them, `test/unit/openapi` fails when they are stale.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export const API_DOC_FILES = {
  'docs/openapi.json': buildOpenApi,
  'docs/certified-feed.schema.json': buildFeedJsonSchema,
} as const;

export function apiDocPath(file: keyof typeof API_DOC_FILES): string {
  return path.join(root, file);
}

export function writeApiDocs(): string[] {
  return Object.entries(API_DOC_FILES).map(([file, build]) => {
    writeFileSync(path.join(root, file), `${JSON.stringify(build(), null, 2)}\n`);
    return file;
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const file of writeApiDocs()) console.log(`wrote ${file}`);
}
