import { toCsv } from '../exports/csv';
import { renderXlsx } from '../exports/xlsx';
import { FEED_COLUMNS, type FeedItem, type FeedPage } from './schema';

/**
 * The three representations of the certified feed: JSON (the contract), CSV (UTF-8 with BOM, RFC 4180,
 * formula injection neutralised) and XLSX (every cell a string), for the API and the S3 exports alike.
 */
export const FEED_FORMATS = {
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;
export type FeedFormat = keyof typeof FEED_FORMATS;

const MEDIA_TYPES: Record<string, FeedFormat> = {
  'application/json': 'json',
  'text/csv': 'csv',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
};

/**
 * The format an `Accept` header asks for: the supported media type with the highest q (ties go to
 * the one listed first). Wildcards, a missing header and only unsupported types all mean JSON.
 */
export function negotiateFeedFormat(accept: string | undefined): FeedFormat {
  if (!accept) return 'json';
  let best: { format: FeedFormat; q: number } | undefined;
  for (const range of accept.split(',')) {
    const [type = '', ...params] = range.split(';').map((part) => part.trim().toLowerCase());
    const format = MEDIA_TYPES[type];
    if (!format) continue;
    const qParam = params.find((param) => param.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!Number.isFinite(q) || q <= 0) continue;
    if (!best || q > best.q) best = { format, q };
  }
  return best?.format ?? 'json';
}

const cell = (value: FeedItem[keyof FeedItem]) => (value === null ? '' : String(value));

function rowsOf(items: readonly FeedItem[]): string[][] {
  return items.map((item) => FEED_COLUMNS.map((column) => cell(item[column])));
}

export function feedCsv(items: readonly FeedItem[]): string {
  return toCsv(FEED_COLUMNS, rowsOf(items));
}

export function feedXlsx(items: readonly FeedItem[]): Uint8Array {
  return renderXlsx('认定名单', FEED_COLUMNS, rowsOf(items));
}

export function feedJson(page: FeedPage): string {
  return JSON.stringify(page);
}
