import { z } from 'zod';
import { CASE_STATUSES, type CaseStatus } from '#shared/cases/model';
import { nowIso } from '#shared/clock';
import { logger } from '#shared/logger';
import { closeTask, getCaseHead, loadCase, transitionCase } from '#shared/store/cases-repository';
import { stepHandler } from '#shared/workflow/step-handler';

const inputSchema = z.strictObject({
  caseId: z.string().min(1),
  status: z.enum(CASE_STATUSES),
  reason: z.string().min(1),
});

/** Statuses a case can end the workflow from: anything in flight. */
const IN_FLIGHT: CaseStatus[] = [
  'SUBMITTED',
  'SUPPLEMENT_REQUESTED',
  'COUNTY_REVIEW',
  'ONSITE_EVALUATION',
  'EXPERT_REVIEW',
  'AWAITING_SELECTION',
  'PUBLICITY',
  'OBJECTION_REVIEW',
];

/**
 * Records where a case's workflow ended (ineligible, not recommended, not selected, an upheld
 * objection, a task that ran out of time) — or a status the workflow holds without a task (PUBLICITY
 * during the publicity Wait) — and expires its open tasks so no inbox shows them. Safe to run twice:
 * a case already in the target status is left as it is.
 */
export const handler = stepHandler(inputSchema, async ({ caseId, status, reason }) => {
  const head = await getCaseHead(caseId);
  if (!head) throw new Error(`case ${caseId} not found`);
  const at = nowIso();
  const record = await loadCase(caseId);
  for (const task of record?.tasks ?? []) {
    if (task.state === 'OPEN') await closeTask(task, { state: 'EXPIRED', at }).catch(ignoreClosed);
  }
  if (head.status !== status) {
    await transitionCase(caseId, { from: IN_FLIGHT, to: status, actor: 'system', at, note: reason });
  }
  logger.info('case outcome recorded', { caseId, status, reason });
  return { status };
});

function ignoreClosed(error: unknown) {
  if (error instanceof Error && 'code' in error && error.code === 'TASK_CLOSED') return;
  throw error;
}
