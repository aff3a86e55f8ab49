import { EVIDENCE_UPLOAD_PREFIX } from '#shared/evidence/keys';

/**
 * Error reports live in the evidence bucket under their own prefix — never under the upload prefix
 * `rounds/`, which is what triggers intake — one per verified upload.
 */
export const ROSTER_REPORTS_PREFIX = 'reports/rosters/';

if (ROSTER_REPORTS_PREFIX.startsWith(EVIDENCE_UPLOAD_PREFIX)) {
  throw new Error('roster reports must not live under the intake prefix');
}

export function errorReportKey(parts: {
  roundId: string;
  caseId: string;
  slot: string;
  evidenceId: string;
}): string {
  return `${ROSTER_REPORTS_PREFIX}${parts.roundId}/${parts.caseId}/${parts.slot}/${parts.evidenceId}.csv`;
}

/** The name a browser saves the report under. */
export function errorReportFileName(fileName: string): string {
  const stem = fileName.replace(/\.[^.]*$/, '');
  return `${stem}-核验问题清单.csv`;
}
