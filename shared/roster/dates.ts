import { isRealDate } from '#shared/ids/gb11643';

/**
 * Dates of a roster cell, as the integer `yyyymmdd` (ordered like the dates, cheap to compare).
 * Accepted: `2021-03-05`, `2021/3/5`, `2021.3.5` (a trailing time such as ` 0:00:00` ignored),
 * `20210305`, `2021年3月5日`, and Excel serial day numbers (1900 or 1904 date system).
 */
export const DATE_EMPTY = -1;
export const DATE_UNREADABLE = -2;

/** Serial numbers outside 1950-01-01 … 2099-12-31 are more likely something else than a date. */
const SERIAL_MIN_1900 = 18264;
const SERIAL_MAX_1900 = 73050;
const SERIAL_OFFSET_1904 = 1462;
const MIN_YEAR = 1900;

/** Parses ASCII date text in `b[start, end)` (already trimmed). */
export function parseDateBytes(b: Uint8Array, start: number, end: number, date1904 = false): number {
  if (end <= start) return DATE_EMPTY;
  // Year: four digits.
  let i = start;
  let y = 0;
  for (; i < end && i < start + 4; i++) {
    const c = b[i] as number;
    if (c < 48 || c > 57) break;
    y = y * 10 + c - 48;
  }
  if (i - start < 4) return parseSerial(b, start, end, date1904);
  if (i === end) return parseSerial(b, start, end, date1904);
  const sep = b[i] as number;
  if (sep >= 48 && sep <= 57) {
    // Eight digits: yyyymmdd; otherwise a serial (maybe with a fraction) or not a date.
    if (end - start === 8 && allDigits(b, start + 4, end)) {
      return dateCode(y, digitsAt(b, start + 4, 2), digitsAt(b, start + 6, 2));
    }
    return parseSerial(b, start, end, date1904);
  }
  if (sep !== 45 && sep !== 47 && sep !== 46) return DATE_UNREADABLE;
  i++;
  let m = 0;
  const ms = i;
  for (; i < end && i < ms + 2; i++) {
    const c = b[i] as number;
    if (c < 48 || c > 57) break;
    m = m * 10 + c - 48;
  }
  if (i === ms || i >= end || b[i] !== sep) return DATE_UNREADABLE;
  i++;
  let d = 0;
  const ds = i;
  for (; i < end && i < ds + 2; i++) {
    const c = b[i] as number;
    if (c < 48 || c > 57) break;
    d = d * 10 + c - 48;
  }
  if (i === ds) return DATE_UNREADABLE;
  // Anything after the day must be a time part: ` 0:00:00`, `T00:00:00`.
  if (i < end && b[i] !== 32 && b[i] !== 84) return DATE_UNREADABLE;
  return dateCode(y, m, d);
}

function allDigits(b: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = b[i] as number;
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function digitsAt(b: Uint8Array, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) v = v * 10 + (b[i] as number) - 48;
  return v;
}

function parseSerial(b: Uint8Array, start: number, end: number, date1904: boolean): number {
  let n = 0;
  let i = start;
  for (; i < end; i++) {
    const c = b[i] as number;
    if (c < 48 || c > 57) break;
    n = n * 10 + c - 48;
    if (n > 1e6) return DATE_UNREADABLE;
  }
  if (i === start) return DATE_UNREADABLE;
  if (i < end) {
    // A fraction is the time of day: `44260.5`.
    if (b[i] !== 46) return DATE_UNREADABLE;
    for (i++; i < end; i++) {
      const c = b[i] as number;
      if (c < 48 || c > 57) return DATE_UNREADABLE;
    }
  }
  return serialToDateCode(n, date1904);
}

/** Excel serial day number to `yyyymmdd` (1900 system with its fictitious 1900-02-29, or 1904). */
export function serialToDateCode(serial: number, date1904 = false): number {
  const s = date1904 ? serial + SERIAL_OFFSET_1904 : serial;
  if (!Number.isInteger(s) || s < SERIAL_MIN_1900 || s > SERIAL_MAX_1900) return DATE_UNREADABLE;
  // Day 25569 is 1970-01-01 in the 1900 system (which counts a 1900-02-29 that never was).
  const ms = (s - 25569) * 86_400_000;
  const date = new Date(ms);
  return date.getUTCFullYear() * 10000 + (date.getUTCMonth() + 1) * 100 + date.getUTCDate();
}

export function dateCode(y: number, m: number, d: number): number {
  if (y < MIN_YEAR || !isRealDate(y, m, d)) return DATE_UNREADABLE;
  return y * 10000 + m * 100 + d;
}

const CJK_DATE = /^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$/;

/**
 * The slow path for cells with non-ASCII text: full-width forms folded to ASCII, then either
 * `2021年3月5日` or any ASCII form above.
 */
export function parseDateText(text: string, date1904 = false): number {
  const folded = foldWidth(text).trim();
  if (folded === '') return DATE_EMPTY;
  const cjk = CJK_DATE.exec(folded);
  if (cjk) return dateCode(Number(cjk[1]), Number(cjk[2]), Number(cjk[3]));
  const bytes = asciiBytes(folded);
  return bytes ? parseDateBytes(bytes, 0, bytes.length, date1904) : DATE_UNREADABLE;
}

/** Full-width ASCII variants (U+FF01…U+FF5E) and the ideographic space to ASCII. */
export function foldWidth(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xff01 && c <= 0xff5e) out += String.fromCharCode(c - 0xfee0);
    else if (c === 0x3000 || c === 0xa0) out += ' ';
    else out += text[i];
  }
  return out;
}

function asciiBytes(text: string): Uint8Array | null {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80) return null;
    out[i] = c;
  }
  return out;
}

/** `yyyymmdd` of an ISO calendar date string `YYYY-MM-DD`; throws on anything else. */
export function isoToDateCode(iso: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  const code = m ? dateCode(Number(m[1]), Number(m[2]), Number(m[3])) : DATE_UNREADABLE;
  if (code < 0) throw new RangeError(`not a calendar date (YYYY-MM-DD): ${iso}`);
  return code;
}

/** Today in China (UTC+8, no daylight saving) as `yyyymmdd`. */
export function chinaDateCode(at: Date): number {
  const d = new Date(at.getTime() + 8 * 3_600_000);
  return d.getUTCFullYear() * 10000 + (d.getUTCMonth() + 1) * 100 + d.getUTCDate();
}

export function formatDateCode(code: number): string {
  const s = String(code);
  return `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`;
}
