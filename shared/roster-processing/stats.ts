import { z } from 'zod';
import type { DeclaredDifference, RosterIssue, RosterStats } from '#shared/roster/index';
import type { RosterSlot } from '#shared/roster-processing/options';

/**
 * The stats of one roster slot as stored on the case (`ROSTER#<slot>`) and shown under
 * `rosters[slot]`: the API.md fields first, then what reviewers and the pipeline need.
 */
export interface RosterSlotStats {
  rows: number;
  validRows: number;
  invalidRows: number;
  duplicateRows: number;
  distinctPersons: number;
  /** The first issues only; the full list is the error report. */
  errors: RosterIssue[];
  trainedInYear?: number;
  employedOfTrained?: number;
  employmentRate?: number;
  outputInYear?: number;
  transferredSinceStart?: number;

  slot: RosterSlot;
  kind: RosterStats['kind'];
  format: RosterStats['format'];
  encoding: RosterStats['encoding'];
  /** Every issue found; `errors` holds the first of them. */
  errorsTotal: number;
  errorsTruncated: boolean;
  /** Findings that do not make a row wrong: dates after the verification day (尚未发生，不计入). */
  warnings: RosterIssue[];
  warningsTotal: number;
  /** Valid rows whose key date is after the verification day: not counted in the year's numbers. */
  notYetRows: number;
  /** Valid training rows whose 就业日期 is after the verification day: not in `employedOfTrained`. */
  notYetEmployed: number;
  /** Where the roster and the form disagree (API.md: "compare them with the numbers declared"). */
  declaredDifferences: DeclaredDifference[];
  /**
   * The full error report (CSV, UTF-8 with BOM, IDs masked) in the evidence bucket, for a presigned
   * download; `null` when the roster has no issue at all. A storage key: not for the browser as is.
   */
  errorReport: { key: string; bytes: number; issues: number } | null;
  /**
   * People of this roster whom another case of the round claims too (person index, HMAC of the ID):
   * for reviewing staff only — the other case ids are not the applicant's business. `null` until
   * the person index is written, moments after the stats.
   */
  crossCase: CrossCaseSummary | null;
  /** The evidence item (upload) these stats were computed from, and when its slot was reserved. */
  evidenceId: string;
  fileName: string;
  reservedAt: string;
  verifiedAt: string;
}

export interface CrossCaseSummary {
  /** Distinct people of this roster also claimed by at least one other case of the round. */
  persons: number;
  /** The other cases, most shared people first (at most {@link MAX_CROSS_CASES_LISTED}). */
  cases: { caseId: string; persons: number }[];
}

export const MAX_CROSS_CASES_LISTED = 50;

/** Tally of the person index → the summary stored on the stats. */
export function crossCaseSummary(persons: number, perCase: ReadonlyMap<string, number>): CrossCaseSummary {
  const cases = [...perCase.entries()]
    .map(([caseId, count]) => ({ caseId, persons: count }))
    .sort((a, b) => b.persons - a.persons || a.caseId.localeCompare(b.caseId))
    .slice(0, MAX_CROSS_CASES_LISTED);
  return { persons, cases };
}

/**
 * What the rules read back from a stored `rosters[slot]` item: the numbers, validated, never cast.
 * Anything unreadable reads as "no stats" (the roster is then treated as not verified yet).
 */
const count = z.number().int().nonnegative();
export const storedRosterStatsSchema = z.looseObject({
  rows: count,
  validRows: count,
  distinctPersons: count,
  evidenceId: z.string().min(1),
  trainedInYear: count.optional(),
  employedOfTrained: count.optional(),
  employmentRate: z.number().min(0).max(1).optional(),
  outputInYear: count.optional(),
  transferredSinceStart: count.optional(),
});
export type StoredRosterStats = z.infer<typeof storedRosterStatsSchema>;

export function readStoredStats(item: unknown): StoredRosterStats | undefined {
  const parsed = storedRosterStatsSchema.safeParse(item);
  return parsed.success ? parsed.data : undefined;
}
