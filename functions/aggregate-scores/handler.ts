import { z } from 'zod';
import { nowIso } from '#shared/clock';
import { logger } from '#shared/logger';
import { getRound } from '#shared/rounds/index';
import { aggregatePanel } from '#shared/rules/scoring';
import { closeTask, loadCase } from '#shared/store/cases-repository';
import { listCaseScores, putAggregate } from '#shared/store/scores-repository';
import { stepHandler } from '#shared/workflow/step-handler';

const inputSchema = z.strictObject({ caseId: z.string().min(1) });

/**
 * After the panel's Map: aggregates the experts' score sheets of the case (mean; trimmed mean from
 * five experts; spread flagged above the round's setting) into the scores table, and expires the
 * tasks of experts whose time ran out, so no inbox keeps them. Safe to run again: the aggregate is
 * replaced, expired tasks stay expired.
 */
export const handler = stepHandler(inputSchema, async ({ caseId }) => {
  const record = await loadCase(caseId);
  if (!record) throw new Error(`case ${caseId} not found`);
  const { head } = record;
  const round = getRound(head.roundId, head.roundVersion);
  if (!round) throw new Error(`round ${head.roundId} not configured`);

  const at = nowIso();
  for (const task of record.tasks) {
    if (task.type === 'expert-review' && task.state === 'OPEN') {
      await closeTask(task, { state: 'EXPIRED', at }).catch(ignoreClosed);
    }
  }

  const sheets = await listCaseScores(caseId, 'expert-review');
  const aggregate = aggregatePanel(
    round.rubric[head.kind],
    sheets.map((sheet) => sheet.scores),
    round.scoreSpreadFlag,
  );
  await putAggregate({
    caseId,
    roundId: head.roundId,
    stage: 'expert-review',
    aggregatedAt: at,
    ...aggregate,
  });
  logger.info('panel scores aggregated', {
    caseId,
    experts: aggregate.count,
    panel: round.panel.length,
    spreadFlagged: aggregate.spreadFlagged,
  });
  return { experts: aggregate.count, spreadFlagged: aggregate.spreadFlagged };
});

function ignoreClosed(error: unknown) {
  if (error instanceof Error && 'code' in error && error.code === 'TASK_CLOSED') return;
  throw error;
}
