import type { ErrorDetail } from '../errors';
import { declaredNumbersFor, ROSTER_SLOTS, type RosterSlot } from '../roster-processing/options';
import { readStoredStats } from '../roster-processing/stats';
import type { Kind, Round } from '../rounds/index';

/**
 * Declared vs verified (issue 13, item 3): the form's figures of the round year (附件1 trained and
 * output; 附件2 output summed over the transfer window) against the roster-verified ones. Computed
 * from the form as it is now, so an edit after the roster was verified is reconciled too. Pure.
 */

type Rosters = Readonly<Record<string, unknown>>;

export interface DeclaredVerifiedRow {
  slot: RosterSlot;
  metric: 'trainedInYear' | 'outputInYear' | 'transferredSinceStart';
  label: string;
  /** `null`: the form does not state the figure (yet). */
  declared: number | null;
  /** `null`: the roster is not verified (yet). */
  verified: number | null;
  /** declared − verified when both are known. */
  excess: number | null;
}

function labelOf(round: Round, kind: Kind, metric: DeclaredVerifiedRow['metric']): string {
  // The round year is implied (the form's figure of that year), as the notice's own wording has it.
  if (metric === 'trainedInYear') return '培训人数';
  if (metric === 'outputInYear') return '输出人数';
  const since = round.thresholds.base.transferredSince.slice(0, 4);
  return kind === 'base' ? `转移输出人数（${since}–${round.year}年合计）` : '转移输出人数';
}

/** The side-by-side table county staff and experts see: one row per figure a roster can confirm. */
export function declaredVersusVerified(
  round: Round,
  kind: Kind,
  form: unknown,
  rosters: Rosters,
): DeclaredVerifiedRow[] {
  const rows: DeclaredVerifiedRow[] = [];
  const metrics: Record<RosterSlot, DeclaredVerifiedRow['metric'][]> =
    kind === 'brand'
      ? { 'training-roster': ['trainedInYear'], 'output-roster': ['outputInYear'] }
      : { 'training-roster': [], 'output-roster': ['transferredSinceStart'] };
  for (const slot of ROSTER_SLOTS) {
    const declared = declaredNumbersFor(round, kind, slot, form);
    const stats = readStoredStats(rosters[slot]);
    for (const metric of metrics[slot]) {
      const d = declared[metric] ?? null;
      const v = stats?.[metric] ?? null;
      rows.push({
        slot,
        metric,
        label: labelOf(round, kind, metric),
        declared: d,
        verified: v,
        excess: d !== null && v !== null ? d - v : null,
      });
    }
  }
  return rows;
}

/** A defect for every declared figure exceeding the verified one by more than the round's tolerance. */
export function declaredExcessDefects(
  round: Round,
  kind: Kind,
  form: unknown,
  rosters: Rosters,
): ErrorDetail[] {
  const tolerance = round.declaredTolerance ?? 0;
  return declaredVersusVerified(round, kind, form, rosters)
    .filter((row) => row.excess !== null && row.excess > tolerance)
    .map((row) => ({
      path: `rosters.${row.slot}.${row.metric}`,
      code: 'DECLARED_EXCEEDS_VERIFIED',
      message: `申报表填报${row.label} ${row.declared} 人，花名册核实 ${row.verified} 人`,
    }));
}
