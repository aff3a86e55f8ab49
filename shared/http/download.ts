import { createHash } from 'node:crypto';
import type { HttpResponse } from './responses';

/**
 * Responses that are not JSON: files (DOCX, XLSX, CSV, SVG) and conditional answers. An HTTP API
 * with a Lambda proxy integration passes binary bodies only base64-encoded with `isBase64Encoded`.
 */
export interface FileResponse extends HttpResponse {
  isBase64Encoded: boolean;
}

/**
 * `Content-Disposition` for a download whose name may be Chinese: an ASCII fallback for old clients
 * and the real name as RFC 5987 `filename*=UTF-8''…` (RFC 6266), which browsers, Excel and WPS use.
 */
export function contentDisposition(fileName: string, fallback: string): string {
  const encoded = Array.from(new TextEncoder().encode(fileName))
    .map((byte) => {
      const char = String.fromCharCode(byte);
      // RFC 5987 attr-char: ALPHA / DIGIT / "!" / "#" / "$" / "&" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~"
      return byte < 0x80 && /[A-Za-z0-9!#$&+\-.^_`|~]/.test(char)
        ? char
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
  const ascii = fallback.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** A name safe as a file name on Windows and macOS: path and reserved characters become `_`. */
export function safeFileName(name: string): string {
  const cleaned = Array.from(name)
    .map((char) => ((char.codePointAt(0) ?? 0) < 0x20 || /[\\/:*?"<>|]/.test(char) ? '_' : char))
    .join('')
    .trim();
  return cleaned.slice(0, 120) || 'download';
}

export function fileResponse(
  bytes: Uint8Array | string,
  options: {
    contentType: string;
    fileName?: string;
    fallbackName?: string;
    headers?: Record<string, string>;
  },
): FileResponse {
  const buffer = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : Buffer.from(bytes);
  return {
    statusCode: 200,
    headers: {
      'content-type': options.contentType,
      'x-content-type-options': 'nosniff',
      ...(options.fileName
        ? { 'content-disposition': contentDisposition(options.fileName, options.fallbackName ?? 'download') }
        : {}),
      ...options.headers,
    },
    body: buffer.toString('base64'),
    isBase64Encoded: true,
  };
}

/** A strong entity tag over a representation's identity (its format and content). */
export function entityTag(...parts: string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\n');
  return `"${hash.digest('base64url').slice(0, 27)}"`;
}

/**
 * `If-None-Match` against the current tag (RFC 9110 §13.1.2): a list of tags or `*`, compared
 * weakly (a `W/` prefix is ignored), as a GET is answered.
 */
export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const bare = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim() === '*' || bare(tag) === bare(etag));
}

/** 304 Not Modified: the tag and the caching headers again, no body. */
export function notModified(etag: string, headers: Record<string, string> = {}): HttpResponse {
  return { statusCode: 304, headers: { etag, ...headers } };
}
