import { z } from 'zod';
import { logger } from '#shared/logger';
import { getRound } from '#shared/rounds/index';
import { getCaseHead } from '#shared/store/cases-repository';
import { stepHandler } from '#shared/workflow/step-handler';

const inputSchema = z.strictObject({ caseId: z.string().min(1) });

/**
 * The expert panel of the case's round (集中评审): the ids the workflow's ExpertReview Map iterates
 * over, one callback task per expert. Ids only; each expert's scores go to the scores table.
 */
export const handler = stepHandler(inputSchema, async ({ caseId }) => {
  const head = await getCaseHead(caseId);
  if (!head) throw new Error(`case ${caseId} not found`);
  const round = getRound(head.roundId, head.roundVersion);
  if (!round) throw new Error(`round ${head.roundId} not configured`);
  logger.info('expert panel', { caseId, experts: round.panel.length });
  return { experts: [...round.panel] };
});
