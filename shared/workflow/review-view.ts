import type { Round } from '../rounds/schema';
import type { CaseRecord } from '../store/cases-repository';

/** Form fields a reviewer does not need and that identify a person: the leader's own mobile. */
const PERSONAL_FORM_FIELDS = new Set(['mobile']);

/**
 * A case as a reviewer sees it next to a task (experts above all): what the unit applied with —
 * form, evidence list, roster figures — and nothing personal: no roster rows, error lines or IDs,
 * no personal mobile number, no storage keys or task tokens.
 */
export function reviewerCaseView(record: CaseRecord, round: Round | undefined) {
  const { head } = record;
  const county = head.countyCode ? round?.counties.find((c) => c.code === head.countyCode) : undefined;
  return {
    caseId: head.caseId,
    roundId: head.roundId,
    kind: head.kind,
    route: head.route,
    countyCode: head.countyCode ?? null,
    countyName: county?.name ?? (head.route === 'direct' ? '市直' : null),
    status: head.status,
    form: Object.fromEntries(Object.entries(head.form).filter(([key]) => !PERSONAL_FORM_FIELDS.has(key))),
    evidence: record.evidence
      .filter((item) => item.status === 'ACCEPTED' && !item.supersededBy)
      .map((item) => ({ evidenceId: item.evidenceId, slot: item.slot, fileName: item.fileName })),
    rosters: Object.fromEntries(
      Object.entries(record.rosters).map(([slot, stats]) => [slot, rosterFigures(stats)]),
    ),
  };
}

/** Only the numbers of a roster's stats: counts and rates, never the rows or error lines. */
function rosterFigures(stats: Record<string, unknown>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(stats).filter((entry): entry is [string, number] => typeof entry[1] === 'number'),
  );
}
