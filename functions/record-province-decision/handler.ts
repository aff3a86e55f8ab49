import { z } from 'zod';
import { nowIso } from '#shared/clock';
import { publishQuietly } from '#shared/feed/publish';
import { writeFeedSnapshot } from '#shared/feed/snapshot';
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
 * Records the city's province-recommendation decision (推荐上报) on the recognition, appends its
 * entry to the certified feed, notes it on the timeline and refreshes the round's export snapshot.
 * The case stays CERTIFIED whatever the decision. Recorded once: a repeated invocation finds the
 * decision, changes nothing and only rewrites the snapshot.
 */
export const handler = stepHandler(inputSchema, async ({ caseId, decision }) => {
  const recognition = await getRecognition(caseId);
  if (!recognition) throw new Error(`case ${caseId} has no recognition`);
  if (recognition.recommendedToProvince !== null && recognition.recommendedToProvince !== undefined) {
    logger.info('province decision already recorded', { caseId });
    await publishQuietly('feed-snapshot', { roundId: recognition.roundId }, () =>
      writeFeedSnapshot(recognition.roundId),
    );
    return { recommended: recognition.recommendedToProvince };
  }

  const note = NOTES[decision];
  const at = nowIso();
  const record = await loadCase(caseId);
  for (const task of record?.tasks ?? []) {
    if (task.type === 'province-recommendation' && task.state === 'OPEN') {
      await closeTask(task, { state: 'EXPIRED', at }).catch(ignoreClosed);
    }
  }
  const recommended = decision === 'approve';
  const result = await recordProvinceDecision(caseId, { recommended, at, note });
  if (result.recorded) {
    await transitionCase(caseId, { from: ['CERTIFIED'], to: 'CERTIFIED', actor: 'system', at, note });
  }
  await publishQuietly('feed-snapshot', { roundId: recognition.roundId }, () =>
    writeFeedSnapshot(recognition.roundId),
  );
  logger.info('province decision recorded', { caseId, recommended, note });
  return { recommended: result.recognition.recommendedToProvince ?? recommended };
});

function ignoreClosed(error: unknown) {
  if (error instanceof Error && 'code' in error && error.code === 'TASK_CLOSED') return;
  throw error;
}
