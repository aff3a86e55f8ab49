import { z } from 'zod';
import { nowIso } from '#shared/clock';
import { logger } from '#shared/logger';
import { closeTask, loadCase, transitionCase } from '#shared/store/cases-repository';
import { getRecognition, recordProvinceDecision } from '#shared/store/recognition-repository';
import { stepHandler } from '#shared/workflow/step-handler';

const inputSchema = z.strictObject({
  caseId: z.string().min(1),
  /** The city's decision on the province-recommendation task, or `timeout` when nobody decided in time. */
  decision: z.enum(['approve', 'reject', 'timeout']),
});

const NOTES = {
  approve: 'province-recommended',
  reject: 'province-not-recommended',
  timeout: 'province-recommendation-timeout',
} as const;

/**
 * Records the city's province-recommendation decision (推荐上报) on the recognition, where the
 * certified feed reads it, and on the timeline. The case stays CERTIFIED whatever the decision.
 * Recorded once: a repeated invocation finds the decision and changes nothing.
 */
export const handler = stepHandler(inputSchema, async ({ caseId, decision }) => {
  const recognition = await getRecognition(caseId);
  if (!recognition) throw new Error(`case ${caseId} has no recognition`);
  const note = NOTES[decision];
  if (recognition.recommendedToProvince !== null && recognition.recommendedToProvince !== undefined) {
    logger.info('province decision already recorded', { caseId });
    return { recommended: recognition.recommendedToProvince };
  }

  const at = nowIso();
  const record = await loadCase(caseId);
  for (const task of record?.tasks ?? []) {
    if (task.type === 'province-recommendation' && task.state === 'OPEN') {
      await closeTask(task, { state: 'EXPIRED', at }).catch(ignoreClosed);
    }
  }
  const recommended = decision === 'approve';
  await recordProvinceDecision(caseId, { recommended, at, note });
  await transitionCase(caseId, { from: ['CERTIFIED'], to: 'CERTIFIED', actor: 'system', at, note });
  logger.info('province decision recorded', { caseId, recommended, note });
  return { recommended };
});

function ignoreClosed(error: unknown) {
  if (error instanceof Error && 'code' in error && error.code === 'TASK_CLOSED') return;
  throw error;
}
