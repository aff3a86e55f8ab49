import type { Principal } from '../http/principal';
import type { CaseRecord } from '../store/cases-repository';

/**
 * A case as the API shows it (API.md `GET /v1/cases/{caseId}`): no task tokens, no storage keys,
 * no reservation internals; superseded evidence is marked, never hidden.
 */
/**
 * A case as one viewer may see it. Roster stats never carry a storage key (the error report is
 * downloaded through its own route), and only county and city staff see which other cases claim the
 * same people.
 */
export function caseView(
  record: CaseRecord & { head: { lastCheck?: unknown } },
  viewer: Pick<Principal, 'role'>,
) {
  const { head } = record;
  return {
    caseId: head.caseId,
    roundId: head.roundId,
    roundVersion: head.roundVersion,
    kind: head.kind,
    route: head.route,
    countyCode: head.countyCode ?? null,
    status: head.status,
    ...(head.attention ? { attention: head.attention } : {}),
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
      ...(item.status === 'PENDING' && item.progress ? { progress: item.progress } : {}),
    })),
    rosters: rostersFor(record.rosters, viewer),
    // Objects kept out of the dossier are evidence of tampering attempts: the city alone reviews them.
    ...(viewer.role === 'city'
      ? {
          quarantined: (record.quarantined ?? []).map(
            ({ evidenceId, slot, reasonCode, reason, receivedAt, sha256, size }) => ({
              evidenceId,
              slot,
              reasonCode,
              reason,
              receivedAt,
              ...(sha256 ? { sha256 } : {}),
              ...(size !== undefined ? { size } : {}),
            }),
          ),
        }
      : {}),
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

const CROSS_CASE_VIEWERS = new Set(['county', 'city']);

function rostersFor(rosters: CaseRecord['rosters'], viewer: Pick<Principal, 'role'>) {
  return Object.fromEntries(
    Object.entries(rosters).map(([slot, stats]) => {
      const { crossCase, errorReport, ...rest } = stats;
      const report = errorReport && typeof errorReport === 'object' ? errorReport : null;
      const { key: _key, ...reportView } = (report ?? {}) as Record<string, unknown>;
      return [
        slot,
        {
          ...rest,
          errorReport: report ? reportView : null,
          ...(CROSS_CASE_VIEWERS.has(viewer.role) ? { crossCase: crossCase ?? null } : {}),
        },
      ];
    }),
  );
}
