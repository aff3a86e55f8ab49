import { describe, expect, it } from 'vitest';
import {
  contentDisposition,
  entityTag,
  fileResponse,
  matchesIfNoneMatch,
  safeFileName,
} from '#shared/http/download';

describe('downloads', () => {
  it('name the file in Chinese with RFC 5987 and give an ASCII fallback', () => {
    const name = '附件1-洪洞护工-申报认定表.docx';
    expect(contentDisposition(name, 'application-form.docx')).toBe(
      `attachment; filename="application-form.docx"; filename*=UTF-8''${encodeURIComponent(name)}`,
    );
    expect(decodeURIComponent(contentDisposition(name, 'x').split("UTF-8''")[1] ?? '')).toBe(name);
  });

  it('percent-encode what RFC 5987 does not allow bare (quotes, spaces, parentheses)', () => {
    const header = contentDisposition(`a b'(c)*.csv`, 'x.csv');
    expect(header.split("UTF-8''")[1]).toBe('a%20b%27%28c%29%2A.csv');
  });

  it('keep file names free of path and reserved characters', () => {
    expect(safeFileName('附件1-A/B:C*?"<>|-申报认定表.docx')).toBe('附件1-A_B_C______-申报认定表.docx');
    expect(safeFileName('')).toBe('download');
  });

  it('send bytes base64-encoded, as an HTTP API needs for a binary body', () => {
    const response = fileResponse(new Uint8Array([0x50, 0x4b, 0x03, 0x04]), {
      contentType: 'application/zip',
      fileName: '名单.zip',
    });
    expect(response.isBase64Encoded).toBe(true);
    expect(Buffer.from(response.body ?? '', 'base64')).toEqual(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
    expect(response.headers?.['x-content-type-options']).toBe('nosniff');
  });
});

describe('entity tags', () => {
  it('are strong, stable for the same content and differ by content or format', () => {
    const tag = entityTag('json', '{"a":1}');
    expect(tag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect(entityTag('json', '{"a":1}')).toBe(tag);
    expect(entityTag('csv', '{"a":1}')).not.toBe(tag);
    expect(entityTag('json', '{"a":2}')).not.toBe(tag);
  });

  it.each([
    ['the same tag', (tag: string) => tag, true],
    ['a weak form of it', (tag: string) => `W/${tag}`, true],
    ['a list holding it', (tag: string) => `"other", ${tag}`, true],
    ['a wildcard', () => '*', true],
    ['another tag', () => '"other"', false],
    ['nothing', () => '', false],
  ])('If-None-Match with %s matches: %s', (_what, header, expected) => {
    const tag = entityTag('json', 'x');
    expect(matchesIfNoneMatch(header(tag) || undefined, tag)).toBe(expected);
  });
});
