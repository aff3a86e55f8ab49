import { ID_CHECK_CHAR_CODES, ID_WEIGHTS, isRealDate, PROVINCE_PREFIXES } from '#shared/ids/gb11643';
/**
 * The roster's own hot-path check of GB 11643 citizen ID numbers, working on bytes so a million rows
 * never become a million strings; it tells spreadsheet damage apart. The code base's only ID checker
 * (a string validator in `shared/ids/` was used by nothing and is gone).
 */

export type IdIssueCode =
  | 'ID_MISSING'
  | 'ID_SCIENTIFIC_NOTATION'
  | 'ID_PRECISION_LOST'
  | 'ID_LEGACY_15'
  | 'ID_LENGTH'
  | 'ID_FORMAT'
  | 'ID_AREA'
  | 'ID_BIRTH_DATE'
  | 'ID_CHECKSUM';

/** Result codes of {@link checkIdBytes}: 0 is valid, anything else indexes {@link ID_ISSUE_CODES}. */
export const ID_OK = 0;
export const ID_ISSUE_CODES: readonly (IdIssueCode | 'OK')[] = [
  'OK',
  'ID_MISSING',
  'ID_SCIENTIFIC_NOTATION',
  'ID_PRECISION_LOST',
  'ID_LEGACY_15',
  'ID_LENGTH',
  'ID_FORMAT',
  'ID_AREA',
  'ID_BIRTH_DATE',
  'ID_CHECKSUM',
];
const R_MISSING = 1;
const R_SCIENTIFIC = 2;
const R_PRECISION = 3;
const R_LEGACY15 = 4;
const R_LENGTH = 5;
const R_FORMAT = 6;
const R_AREA = 7;
const R_BIRTH = 8;
const R_CHECKSUM = 9;

/**
 * The dedup key of the last valid ID checked: `hi` is the 6-digit area code, `lo` packs the birth
 * date and the 3-digit sequence. The 17 digits fix the check character, so the pair is the person.
 * Module-level scratch instead of a returned object: the hot path allocates nothing.
 */
export const idKey = { hi: 0, lo: 0 };

/**
 * Checks an ASCII ID in `b[start, end)` (already trimmed; `x` accepted for `X`). `todayCode` is
 * today's date as `yyyymmdd`. Returns {@link ID_OK} and fills {@link idKey}, or an issue index.
 */
export function checkIdBytes(b: Uint8Array, start: number, end: number, todayCode: number): number {
  const len = end - start;
  if (len <= 0) return R_MISSING;
  if (len !== 18) return classifyWrongLength(b, start, end);
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const c = b[start + i] as number;
    if (c < 48 || c > 57)
      return classifyWrongLength(b, start, end) === R_SCIENTIFIC ? R_SCIENTIFIC : R_FORMAT;
    sum += (c - 48) * (ID_WEIGHTS[i] as number);
  }
  let last = b[start + 17] as number;
  if (last === 120) last = 88;
  if ((last < 48 || last > 57) && last !== 88) return R_FORMAT;
  const p0 = (b[start] as number) - 48;
  const p1 = (b[start + 1] as number) - 48;
  if (PROVINCE_PREFIXES[p0 * 10 + p1] !== 1) return R_AREA;
  const y = digits(b, start + 6, 4);
  const m = digits(b, start + 10, 2);
  const day = digits(b, start + 12, 2);
  if (y < 1900 || !isRealDate(y, m, day) || y * 10000 + m * 100 + day > todayCode) return R_BIRTH;
  if (ID_CHECK_CHAR_CODES[sum % 11] !== last) {
    // Excel keeps 15 significant digits: a pasted 18-digit number comes back ending in zeros.
    return last === 48 && b[start + 16] === 48 && b[start + 15] === 48 ? R_PRECISION : R_CHECKSUM;
  }
  idKey.hi = digits(b, start, 6);
  idKey.lo = ((y - 1900) * 372 + (m - 1) * 31 + (day - 1)) * 1000 + digits(b, start + 14, 3);
  return ID_OK;
}

function digits(b: Uint8Array, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) v = v * 10 + (b[i] as number) - 48;
  return v;
}

function classifyWrongLength(b: Uint8Array, start: number, end: number): number {
  let digitCount = 0;
  let other = 0;
  let exp = 0;
  let xs = 0;
  for (let i = start; i < end; i++) {
    const c = b[i] as number;
    if (c >= 48 && c <= 57) digitCount++;
    else if (c === 88 || c === 120) xs++;
    else if (c === 69 || c === 101) exp++;
    else if (c !== 46 && c !== 43) other++;
  }
  // `1.41024E+17`: what a spreadsheet shows (and exports) for an 18-digit number in a General cell.
  if (exp === 1 && other === 0 && xs === 0 && digitCount > 0) return R_SCIENTIFIC;
  if (digitCount === end - start) return end - start === 15 ? R_LEGACY15 : R_LENGTH;
  // Digits and check letters only: the length is what is wrong.
  return digitCount + xs === end - start ? R_LENGTH : R_FORMAT;
}

/** Same as {@link checkIdBytes} for a string (any width of digits; trimmed here). */
export function checkIdString(text: string, todayCode: number): number {
  const ascii = normaliseIdText(text);
  if (ascii === null) return text.trim() === '' ? R_MISSING : R_FORMAT;
  const bytes = new Uint8Array(ascii.length);
  for (let i = 0; i < ascii.length; i++) bytes[i] = ascii.charCodeAt(i);
  return checkIdBytes(bytes, 0, bytes.length, todayCode);
}

/**
 * Full-width digits and letters to ASCII, spaces (ASCII, U+3000, NBSP) dropped, a spreadsheet text
 * marker (leading `'`, or `="…"`) removed, `x` upper-cased. `null` when non-ASCII remains.
 */
export function normaliseIdText(text: string): string | null {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0) as number;
    if (cp === 0x20 || cp === 0x09 || cp === 0x3000 || cp === 0xa0 || cp === 0xfeff) continue;
    if (cp >= 0xff01 && cp <= 0xff5e) out += String.fromCharCode(cp - 0xfee0);
    else if (cp < 0x80) out += ch;
    else return null;
  }
  if (out.startsWith('="') && out.endsWith('"') && out.length >= 3) out = out.slice(2, -1);
  else if (out.startsWith("'")) out = out.slice(1);
  return out.replace(/x$/, 'X');
}

/** `141024********123X`: area and last four kept, the rest starred. Never log or report more. */
export function maskId(text: string): string {
  const s = text.trim();
  if (s.length >= 11) return `${s.slice(0, 6)}${'*'.repeat(s.length - 10)}${s.slice(-4)}`;
  return '*'.repeat(s.length);
}
