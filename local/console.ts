import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type http from 'node:http';
import path from 'node:path';
import { projectRoot } from '#infra/laowu-function';

/**
 * The web console in the local runtime: `web/` built by Vite into `web/dist`, served by the API
 * router from the same origin as `/v1` (so no CORS locally), with the `config.json` that the CDK
 * deployment writes in the cloud generated here: same-origin API, the role-picker sign-in.
 */
export const CONSOLE_DIR = path.join(projectRoot, 'web', 'dist');

export interface ConsoleConfig {
  apiUrl: string;
  roundId: string;
  auth: { mode: 'local' } | { mode: 'oidc'; issuer: string; clientId: string; scope?: string };
}

/** The round the console opens on. */
export const CONSOLE_ROUND = '2021';

/** Builds the console with the project's Vite config; returns the output folder. */
export async function buildConsole(options: { outDir?: string } = {}): Promise<string> {
  // Imported here so that the API functions and tests that never build the console do not load Vite.
  const { build } = await import('vite');
  const outDir = options.outDir ?? CONSOLE_DIR;
  await build({
    configFile: path.join(projectRoot, 'web', 'vite.config.ts'),
    mode: 'production',
    build: { outDir, emptyOutDir: true },
    logLevel: 'warn',
  });
  return outDir;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Paths the console never answers: the API and the local-only routes stay the router's own. */
const NOT_CONSOLE = /^\/(v1|local)(\/|$)|^\/health$/;

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
};

export type ConsoleHandler = (req: http.IncomingMessage, res: http.ServerResponse) => Promise<boolean>;

/**
 * A request handler for the built console: `/config.json`, the files of `dir`, and `/` → index.html.
 * Resolves false for anything it does not serve (the router then answers as API Gateway would).
 */
export function consoleHandler(dir: string, config: ConsoleConfig): ConsoleHandler {
  const root = path.resolve(dir);
  return async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (NOT_CONSOLE.test(url.pathname)) return false;

    if (url.pathname === '/config.json') {
      res.writeHead(200, {
        'content-type': CONTENT_TYPES['.json'] ?? 'application/json',
        'cache-control': 'no-store',
        ...SECURITY_HEADERS,
      });
      res.end(req.method === 'HEAD' ? undefined : JSON.stringify(config));
      return true;
    }

    let relative: string;
    try {
      relative = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
    } catch {
      return false;
    }
    const file = path.resolve(root, `.${relative}`);
    if (!file.startsWith(`${root}${path.sep}`)) return false;
    const found = await stat(file).catch(() => undefined);
    if (!found?.isFile()) return false;
    const extension = path.extname(file);
    res.writeHead(200, {
      'content-type': CONTENT_TYPES[extension] ?? 'application/octet-stream',
      'content-length': String(found.size),
      // Vite fingerprints assets; index.html must always be fetched fresh to pick up a new build.
      'cache-control': relative.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      ...SECURITY_HEADERS,
    });
    if (req.method === 'HEAD') {
      res.end();
      return true;
    }
    await new Promise<void>((resolve, reject) => {
      createReadStream(file).on('error', reject).on('end', resolve).pipe(res);
    });
    return true;
  };
}
