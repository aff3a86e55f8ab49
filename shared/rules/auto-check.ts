import type { ErrorDetail } from '../errors';
import { checklistFor, type Round } from '../rounds/index';
import type { CaseRecord } from '../store/cases-repository';
import { evidenceDefects } from './evidence-defects';

export type Verdict = 'ok' | 'defects' | 'ineligible';

export interface AutoCheckResult {
  verdict: Verdict;
  /** Everything the applicant must fix (verdict `defects`) or the reasons it cannot pass (`ineligible`). */
  defects: ErrorDetail[];
}

/**
 * The automatic check of a submitted case. Missing or refused materials ask for a supplement;
 * the quantitative criteria measured from the rosters decide eligibility once rosters are parsed.
 */
export function autoCheck(round: Round, record: Pick<CaseRecord, 'head' | 'evidence'>): AutoCheckResult {
  const defects = evidenceDefects(checklistFor(round, record.head.kind), record.evidence);
  if (defects.length > 0) return { verdict: 'defects', defects };
  return { verdict: 'ok', defects: [] };
}
