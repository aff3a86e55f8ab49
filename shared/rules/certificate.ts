import type { Kind } from '../rounds/schema';

/**
 * Certificate numbers (认定证书编号): `LF-<round>-<kind>-<seq>`, e.g. `LF-2021-PP-001` for the first
 * brand (品牌) and `LF-2021-JD-001` for the first base (基地) of round 2021. The sequence is per round
 * and kind, starts at 1 and never goes back; it is allocated with the certification itself, so a
 * number is never skipped nor given twice.
 */

export const KIND_CODES: Record<Kind, string> = { brand: 'PP', base: 'JD' };

/** `prefix` is the round's `certificatePrefix` (the issuing city, e.g. `LF` for 临汾). */
export function certificateNumber(prefix: string, roundId: string, kind: Kind, seq: number): string {
  if (!Number.isSafeInteger(seq) || seq < 1) throw new Error(`certificate sequence must be ≥ 1, got ${seq}`);
  return `${prefix}-${roundId.toUpperCase()}-${KIND_CODES[kind]}-${String(seq).padStart(3, '0')}`;
}

export const CERTIFICATE_NUMBER_PATTERN = /^[A-Z]{2}-\d{4}(?:-[A-Z0-9]+)?-(?:PP|JD)-\d{3,}$/;
