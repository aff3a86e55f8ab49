/**
 * The rules of GB 11643 (公民身份号码) the byte-level roster checker of `shared/roster/resident-id.ts`
 * uses (a million rows) and the roster's date reading shares. Typed arrays, so the hot path indexes
 * without allocating.
 */

/** ISO 7064 MOD 11-2 weights of the first 17 digits. */
export const ID_WEIGHTS = new Uint8Array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]);

/** Check character code for `sum % 11`: "10X98765432" (88 is `X`). */
export const ID_CHECK_CHAR_CODES = new Uint8Array([49, 48, 88, 57, 56, 55, 54, 53, 52, 51, 50]);

/**
 * Province-level prefixes of GB/T 2260 (11–15, 21–23, 31–37, 41–46, 50–54, 61–65, 71, 81, 82), indexed
 * by the first two digits. Finer area codes are not checked: people keep the number they were issued
 * when their county was renamed or merged (e.g. 1426xx from before Linfen became a prefecture-level city).
 */
export const PROVINCE_PREFIXES = new Uint8Array(100);
for (const [from, to] of [
  [11, 15],
  [21, 23],
  [31, 37],
  [41, 46],
  [50, 54],
  [61, 65],
  [71, 71],
  [81, 82],
] as const) {
  for (let p = from; p <= to; p++) PROVINCE_PREFIXES[p] = 1;
}

const DAYS_IN_MONTH = new Uint8Array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]);

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** A real calendar date (Feb 29 only in leap years). */
export function isRealDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  if (m === 2 && isLeapYear(y)) return d <= 29;
  return d <= (DAYS_IN_MONTH[m] ?? 0);
}
