import { useSyncExternalStore } from 'react';

/**
 * Hash routes (`#/cases/…`): the console is a set of static files, so every address must load
 * index.html whatever the host (S3 behind CloudFront, or the local server) does with unknown paths.
 */
function subscribe(listener: () => void) {
  window.addEventListener('hashchange', listener);
  return () => window.removeEventListener('hashchange', listener);
}

export function usePath(): string {
  return useSyncExternalStore(subscribe, () => location.hash.replace(/^#/, '') || '/');
}

export function navigate(path: string): void {
  location.hash = path;
}

/** `/cases/:caseId` against `/cases/abc` → `{ caseId: 'abc' }`, or undefined. */
export function match(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split('/');
  const got = path.split('?')[0]?.split('/') ?? [];
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, segment] of want.entries()) {
    const value = got[i] ?? '';
    if (segment.startsWith(':')) {
      if (!value) return undefined;
      params[segment.slice(1)] = decodeURIComponent(value);
    } else if (segment !== value) return undefined;
  }
  return params;
}
