import type { CaseRecord } from '../store/cases-repository';

/**
 * A case as the API shows it (API.md `GET /v1/cases/{caseId}`): no task tokens, no storage keys,
 * no reservation internals; superseded evidence is marked, never hidden.
 */
export function caseView(record: CaseRecord & { head: { lastCheck?: unknown } }) {
  const { head } = record;
  return {
    caseId: head.caseId,
    roundId: head.roundId,
    roundVersion: head.roundVersion,
    kind: head.kind,
    route: head.route,
    countyCode: head.countyCode ?? null,
    status: head.status,
    version: head.version,
    form: head.form,
    evidence: record.evidence.map((item) => ({
      evidenceId: item.evidenceId,
      slot: item.slot,
      fileName: item.fileName,
      status: item.status,
      ...(item.reason ? { reason: item.reason, reasonCode: item.reasonCode } : {}),
      ...(item.sha256 ? { sha256: item.sha256 } : {}),
      ...(item.size !== undefined ? { size: item.size } : {}),
      ...(item.supersededBy ? { supersededBy: item.supersededBy } : {}),
    })),
    rosters: record.rosters,
    lastCheck: head.lastCheck ?? null,
    // A supplement request (补正) the applicant must answer by resubmitting, with its due date.
    supplementRequest: supplementRequestOf(record),
    timeline: record.timeline.map(({ at, status, from, actor, role, action, note }) => ({
      at,
      status,
      ...(from ? { from } : {}),
      actor,
      ...(role ? { role } : {}),
      ...(action ? { action } : {}),
      ...(note ? { note } : {}),
    })),
    createdAt: head.createdAt,
    updatedAt: head.updatedAt,
  };
}

function supplementRequestOf(record: CaseRecord) {
  const open = record.tasks.find((task) => task.type === 'supplement' && task.state === 'OPEN');
  return open ? { requestedAt: open.createdAt, dueAt: open.dueAt } : null;
}
