import type { CaseHead, EvidenceItem } from '../cases/model';
import type { ErrorDetail } from '../errors';
import { checklistFor, type Round } from '../rounds/index';
import { evidenceDefects } from './evidence-defects';
import { rosterDefects, thresholdShortfalls } from './thresholds';

export type Verdict = 'ok' | 'defects' | 'ineligible';

export interface AutoCheckResult {
  verdict: Verdict;
  /** Everything the applicant must fix (verdict `defects`) or the reasons it cannot pass (`ineligible`). */
  defects: ErrorDetail[];
}

/**
 * The automatic check of a submitted case.
 * - Missing, refused or unverified materials (a roster still being parsed included) ask for a
 *   supplement listing every defect at once (一次性告知), with the threshold shortfalls the verified
 *   rosters already show, so a wrong roster can be replaced in the same round trip.
 * - Otherwise the quantitative criteria measured from the rosters decide: any shortfall makes the
 *   case ineligible, with every reason.
 */
export function autoCheck(
  round: Round,
  record: {
    head: Pick<CaseHead, 'kind'>;
    evidence: readonly EvidenceItem[];
    /** `rosters[slot]` as stored on the case (validated here, never trusted). */
    rosters?: Readonly<Record<string, unknown>>;
  },
): AutoCheckResult {
  const { kind } = record.head;
  const rosters = record.rosters ?? {};
  const shortfalls = thresholdShortfalls(round, kind, rosters);
  const defects = [
    ...evidenceDefects(checklistFor(round, kind), record.evidence),
    ...rosterDefects(round, kind, record.evidence, rosters),
  ];
  if (defects.length > 0) return { verdict: 'defects', defects: [...defects, ...shortfalls] };
  if (shortfalls.length > 0) return { verdict: 'ineligible', defects: shortfalls };
  return { verdict: 'ok', defects: [] };
}
