import {
  type PersonKeyOptions,
  type RosterIssue,
  type RosterLimits,
  type RosterProgress,
  type RosterSource,
  type RosterStats,
  verifyRoster,
} from '#shared/roster/index';
import { type RosterSlot, rosterOptionsFor } from '#shared/roster-processing/options';
import type { Kind, Round } from '#shared/rounds/index';

/** Issues kept on the stored stats; the error report holds them all. */
export const MAX_ERRORS_IN_STATS = 100;

export interface RosterCheckInput {
  round: Round;
  caseKind: Kind;
  slot: RosterSlot;
  /** "Now" for future-date checks: `now()` of `#shared/clock` (the simulated clock locally). */
  today: Date;
  /** Object or file size, for the progress percentage and the dedup table's size. */
  totalBytes?: number;
  onIssue?: (issue: RosterIssue) => void;
  onProgress?: (progress: RosterProgress) => void;
  personKeys?: PersonKeyOptions;
  limits?: Partial<RosterLimits>;
  signal?: AbortSignal;
}

/**
 * Verifies one roster of a case's slot with the round's options: the one code path of the intake
 * Lambda and of `laowu roster check`. Throws `RosterFileError`/`RosterLimitError` for a file that
 * cannot be verified; row problems are issues on the stats.
 */
export function checkRoster(source: RosterSource, input: RosterCheckInput): Promise<RosterStats> {
  return verifyRoster(source, {
    ...rosterOptionsFor(input.round, input.caseKind, input.slot, input.today),
    maxErrorsInStats: MAX_ERRORS_IN_STATS,
    ...(input.totalBytes !== undefined ? { totalBytes: input.totalBytes } : {}),
    ...(input.onIssue ? { onIssue: input.onIssue } : {}),
    ...(input.onProgress ? { onProgress: input.onProgress } : {}),
    ...(input.personKeys ? { personKeys: input.personKeys } : {}),
    ...(input.limits ? { limits: input.limits } : {}),
    ...(input.signal ? { signal: input.signal } : {}),
  });
}
