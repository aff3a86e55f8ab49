import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type LocalCloud, startLocalCloud } from '#local/cloud';
import type { ConsoleHandler } from '#local/console';
import { synthTemplate } from '#local/template';

/**
 * Starts the whole local cloud from the synthesized template on free ports and a fresh data folder.
 * Browser tests pass `port` (the origin local S3's CORS rules must allow) and the built `console`.
 */
export async function startTestCloud(
  options: { dataDir?: string; port?: number; console?: ConsoleHandler } = {},
): Promise<LocalCloud & { dataDir: string }> {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'laowu-cloud-'));
  const port = options.port ?? 0;
  const cloud = await startLocalCloud({
    template: await synthTemplate(
      port ? { allowedOrigins: `http://127.0.0.1:${port},http://localhost:${port}` } : {},
    ),
    dataDir,
    port,
    ...(options.console ? { console: options.console } : {}),
    log: (line) => console.error(`[local cloud] ${line}`),
  });
  return { ...cloud, dataDir };
}

/** A JSON client of the local API. */
export function apiClient(baseUrl: string) {
  return async (
    method: string,
    route: string,
    options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
  ) => {
    const response = await fetch(`${baseUrl}${route}`, {
      method,
      headers: {
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...options.headers,
      },
      ...(options.body !== undefined
        ? { body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) }
        : {}),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  };
}

/** Polls until `probe` returns a value (not undefined) or the time is up. */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs = 15_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
