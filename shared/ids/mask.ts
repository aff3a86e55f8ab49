/**
 * Masks for showing personal numbers to people who need to recognise a row, not read the number: a
 * roster error report, a log line. Anything that is not the expected length is masked whole.
 */

/** `141024199001011234` → `141024********1234` (first 6, 8 asterisks, last 4). */
export function maskResidentId(id: string): string {
  if (id.length !== 18) return '*'.repeat(id.length);
  return `${id.slice(0, 6)}********${id.slice(14)}`;
}

/** `13812345678` → `138****5678`. */
export function maskMobile(mobile: string): string {
  if (mobile.length !== 11) return '*'.repeat(mobile.length);
  return `${mobile.slice(0, 3)}****${mobile.slice(7)}`;
}
