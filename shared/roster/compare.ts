import type { RosterNumbers } from '#shared/roster/accumulator';

/** Numbers an applicant declared on the form (附件1/附件2) for the roster's year or window. */
export interface DeclaredNumbers {
  /** Brand form: training count of the round year. */
  trainedInYear?: number;
  /** Brand form: employment rate of the trained (0–1), where the form or the narrative states one. */
  employmentRate?: number;
  /** Brand form: labour output count of the round year. */
  outputInYear?: number;
  /** Base form: output count since the start of the window (sum of the yearly counts). */
  transferredSinceStart?: number;
}

export type ComparedMetric = keyof DeclaredNumbers;

export interface DeclaredDifference {
  metric: ComparedMetric;
  declared: number;
  verified: number;
  /** verified − declared. */
  difference: number;
  /** `shortfall`: the roster supports fewer than declared (the case for a reviewer); `excess`: more. */
  kind: 'shortfall' | 'excess';
  message: string;
}

const LABELS: Record<ComparedMetric, string> = {
  trainedInYear: '年度培训人数',
  employmentRate: '培训后就业率',
  outputInYear: '年度输出人数',
  transferredSinceStart: '累计转移输出人数',
};

/** Rates within half a percentage point are the same rate written with rounding. */
const RATE_TOLERANCE = 0.005;

/**
 * Flags every declared number the roster does not bear out exactly. Metrics the roster does not
 * measure (e.g. trainedInYear on an output roster) are skipped, not flagged.
 */
export function compareDeclared(stats: RosterNumbers, declared: DeclaredNumbers): DeclaredDifference[] {
  const out: DeclaredDifference[] = [];
  for (const metric of Object.keys(LABELS) as ComparedMetric[]) {
    const d = declared[metric];
    const v = stats[metric];
    if (d === undefined || v === undefined) continue;
    const isRate = metric === 'employmentRate';
    if (isRate ? Math.abs(v - d) <= RATE_TOLERANCE : v === d) continue;
    const kind = v < d ? 'shortfall' : 'excess';
    const show = (n: number): string => (isRate ? `${(n * 100).toFixed(1)}%` : String(n));
    out.push({
      metric,
      declared: d,
      verified: v,
      difference: v - d,
      kind,
      message: `${LABELS[metric]}：申报 ${show(d)}，花名册核实 ${show(v)}（${kind === 'shortfall' ? '少于申报' : '多于申报'}）`,
    });
  }
  return out;
}
