import { ID_CHECK_CHAR_CODES, ID_WEIGHTS, isRealDate, PROVINCE_PREFIXES } from '#shared/ids/gb11643';
import type { IdResult } from '#shared/ids/result';
import { toHalfWidth } from '#shared/ids/text';

/**
 * 公民身份号码 (resident ID), GB 11643-1999: 6-digit area code, 8-digit birth date, 3-digit sequence,
 * ISO 7064 MOD 11-2 check character (`0`–`9` or `X`).
 *
 * This runs once per roster row (a million rows per roster), so it walks the string with `charCodeAt`,
 * uses no regular expression on the common path, returns the input string itself when it is already
 * normal, and returns shared frozen failure objects.
 */
export type ResidentIdErrorCode =
  | 'ID_EMPTY'
  | 'ID_LEGACY_15'
  | 'ID_MANGLED_BY_SPREADSHEET'
  | 'ID_LENGTH'
  | 'ID_CHARSET'
  | 'ID_AREA_CODE'
  | 'ID_BIRTH_DATE_INVALID'
  | 'ID_BIRTH_DATE_FUTURE'
  | 'ID_BIRTH_DATE_TOO_EARLY'
  | 'ID_CHECK_CHAR';

export type ResidentIdResult = IdResult<ResidentIdErrorCode>;

export const RESIDENT_ID_MESSAGES: Readonly<Record<ResidentIdErrorCode, string>> = {
  ID_EMPTY: '身份证号码不能为空',
  ID_LEGACY_15: '这是15位旧身份证号码，请填写18位公民身份号码',
  ID_MANGLED_BY_SPREADSHEET:
    '身份证号码被表格软件转成了数字（科学计数法或末尾变为0），请将该列设为“文本”格式后重新录入',
  ID_LENGTH: '身份证号码应为18位',
  ID_CHARSET: '身份证号码前17位应为数字，最后一位为数字或X',
  ID_AREA_CODE: '身份证号码前两位不是有效的省级行政区划代码',
  ID_BIRTH_DATE_INVALID: '身份证号码中的出生日期不是有效日期',
  ID_BIRTH_DATE_FUTURE: '身份证号码中的出生日期晚于今天',
  ID_BIRTH_DATE_TOO_EARLY: '身份证号码中的出生日期早于1900年',
  ID_CHECK_CHAR: '身份证号码校验位不正确，请核对',
};

type ResidentIdFailure = Extract<ResidentIdResult, { ok: false }>;

function frozenFailure(code: ResidentIdErrorCode): ResidentIdFailure {
  return Object.freeze({ ok: false, code, message: RESIDENT_ID_MESSAGES[code] });
}

/** One shared object per failure: a bad roster column costs no allocation per row. */
const FAILURES: Readonly<Record<ResidentIdErrorCode, ResidentIdFailure>> = {
  ID_EMPTY: frozenFailure('ID_EMPTY'),
  ID_LEGACY_15: frozenFailure('ID_LEGACY_15'),
  ID_MANGLED_BY_SPREADSHEET: frozenFailure('ID_MANGLED_BY_SPREADSHEET'),
  ID_LENGTH: frozenFailure('ID_LENGTH'),
  ID_CHARSET: frozenFailure('ID_CHARSET'),
  ID_AREA_CODE: frozenFailure('ID_AREA_CODE'),
  ID_BIRTH_DATE_INVALID: frozenFailure('ID_BIRTH_DATE_INVALID'),
  ID_BIRTH_DATE_FUTURE: frozenFailure('ID_BIRTH_DATE_FUTURE'),
  ID_BIRTH_DATE_TOO_EARLY: frozenFailure('ID_BIRTH_DATE_TOO_EARLY'),
  ID_CHECK_CHAR: frozenFailure('ID_CHECK_CHAR'),
};

function fail(code: ResidentIdErrorCode): ResidentIdResult {
  return FAILURES[code];
}

const X = 88;
const ZERO = 48;

function isDigit(unit: number): boolean {
  return unit >= 48 && unit <= 57;
}

function digitAt(s: string, i: number): number {
  return s.charCodeAt(i) - ZERO;
}

/** True when the 18 characters are 17 digits and a digit or `X`. */
function isCanonicalShape(s: string): boolean {
  if (s.length !== 18) return false;
  for (let i = 0; i < 17; i++) if (!isDigit(s.charCodeAt(i))) return false;
  const last = s.charCodeAt(17);
  return isDigit(last) || last === X;
}

/** ISO 7064 MOD 11-2 over the first 17 digits, as a character code. */
function expectedCheckChar(s: string): number {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += digitAt(s, i) * (ID_WEIGHTS[i] ?? 0);
  return ID_CHECK_CHAR_CODES[sum % 11] ?? 0;
}

function endsWithZeros(s: string, count: number): boolean {
  if (s.length < count) return false;
  for (let i = s.length - count; i < s.length; i++) if (s.charCodeAt(i) !== ZERO) return false;
  return true;
}

function allDigits(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (!isDigit(s.charCodeAt(i))) return false;
  return s.length > 0;
}

/** A number a spreadsheet printed in scientific notation, e.g. `1.41024E+17` or `1.41024199001011e17`. */
const SCIENTIFIC = /^\d+(?:\.\d+)?e\+?\d+$/i;

/** The slow path: trims, converts full-width characters, upper-cases a final `x`. */
function normalize(input: string): string {
  let s = toHalfWidth(input).trim();
  const lastIndex = s.length - 1;
  if (lastIndex >= 0 && s.charCodeAt(lastIndex) === 120 /* x */) s = `${s.slice(0, lastIndex)}X`;
  return s;
}

/** The injected date as a number `YYYYMMDD`, read in China Standard Time (UTC+8, no DST since 1991). */
export function toYmd(today: Date | string): number {
  if (typeof today === 'string') {
    const y = Number(today.slice(0, 4));
    const m = Number(today.slice(5, 7));
    const d = Number(today.slice(8, 10));
    if (!/^\d{4}-\d{2}-\d{2}$/.test(today) || m < 1 || m > 12 || d < 1 || d > 31) {
      throw new RangeError(`today must be YYYY-MM-DD, got ${today}`);
    }
    return y * 10000 + m * 100 + d;
  }
  const shanghai = new Date(today.getTime() + 8 * 3_600_000);
  return shanghai.getUTCFullYear() * 10000 + (shanghai.getUTCMonth() + 1) * 100 + shanghai.getUTCDate();
}

function checkBody(s: string, todayYmd: number): ResidentIdResult | undefined {
  if (PROVINCE_PREFIXES[digitAt(s, 0) * 10 + digitAt(s, 1)] !== 1) return fail('ID_AREA_CODE');
  const year = digitAt(s, 6) * 1000 + digitAt(s, 7) * 100 + digitAt(s, 8) * 10 + digitAt(s, 9);
  const month = digitAt(s, 10) * 10 + digitAt(s, 11);
  const day = digitAt(s, 12) * 10 + digitAt(s, 13);
  if (!isRealDate(year, month, day)) return fail('ID_BIRTH_DATE_INVALID');
  if (year < 1900) return fail('ID_BIRTH_DATE_TOO_EARLY');
  if (year * 10000 + month * 100 + day > todayYmd) return fail('ID_BIRTH_DATE_FUTURE');
  if (s.charCodeAt(17) !== expectedCheckChar(s)) return fail('ID_CHECK_CHAR');
  return undefined;
}

function validateWithYmd(input: string, todayYmd: number): ResidentIdResult {
  let s = input;
  if (!isCanonicalShape(s)) {
    s = normalize(input);
    if (s.length === 0) return fail('ID_EMPTY');
    if (SCIENTIFIC.test(s)) return fail('ID_MANGLED_BY_SPREADSHEET');
    if (allDigits(s)) {
      // A legacy 15-digit ID never ends in sequence 000; 16–17 digits ending in zeros are a number a
      // spreadsheet cut to 15 significant digits and padded.
      if (s.length === 15) return fail(endsWithZeros(s, 3) ? 'ID_MANGLED_BY_SPREADSHEET' : 'ID_LEGACY_15');
      if ((s.length === 16 || s.length === 17) && endsWithZeros(s, 3))
        return fail('ID_MANGLED_BY_SPREADSHEET');
    }
    if (s.length !== 18) return fail('ID_LENGTH');
    if (!isCanonicalShape(s)) return fail('ID_CHARSET');
  }
  // 18 digits whose tail a spreadsheet zeroed (it keeps 15 significant digits) fail the check: name that
  // cause before the body checks, whose messages would mislead.
  if (endsWithZeros(s, 3) && s.charCodeAt(17) !== expectedCheckChar(s))
    return fail('ID_MANGLED_BY_SPREADSHEET');
  return checkBody(s, todayYmd) ?? { ok: true, value: s };
}

/**
 * Validates and normalises a resident ID. `today` bounds the birth date (inject the clock; a string is
 * `YYYY-MM-DD`, a Date is read in Asia/Shanghai).
 */
export function validateResidentId(input: string, options: { today: Date | string }): ResidentIdResult {
  return validateWithYmd(input, toYmd(options.today));
}

/** The same check with `today` resolved once, for a loop over a roster. */
export function createResidentIdValidator(today: Date | string): (input: string) => ResidentIdResult {
  const todayYmd = toYmd(today);
  return (input) => validateWithYmd(input, todayYmd);
}

/**
 * A compact numeric key for a **validated** ID (18 characters, birth year 1900–2099), for duplicate
 * detection in a `Set<number>` without keeping a million strings. The check character is implied by the
 * first 17 digits, so the key is area × 10⁸ + birth date packed as days-ish (< 10⁵) × 10³ + sequence:
 * at most ≈ 8.3 × 10¹³, a safe integer.
 */
export function residentIdKey(validId: string): number {
  let area = 0;
  for (let i = 0; i < 6; i++) area = area * 10 + digitAt(validId, i);
  const year =
    digitAt(validId, 6) * 1000 + digitAt(validId, 7) * 100 + digitAt(validId, 8) * 10 + digitAt(validId, 9);
  const month = digitAt(validId, 10) * 10 + digitAt(validId, 11);
  const day = digitAt(validId, 12) * 10 + digitAt(validId, 13);
  const sequence = digitAt(validId, 14) * 100 + digitAt(validId, 15) * 10 + digitAt(validId, 16);
  const packedDate = (year - 1900) * 372 + (month - 1) * 31 + (day - 1);
  return area * 100_000_000 + packedDate * 1000 + sequence;
}
