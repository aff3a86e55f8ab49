import { z } from 'zod';
import { logger } from '#shared/logger';
import { listObjections } from '#shared/store/rounds-repository';
import { stepHandler } from '#shared/workflow/step-handler';

const inputSchema = z.strictObject({ caseId: z.string().min(1) });

/**
 * When publicity has ended: how many objections against the case are still open. Any open objection
 * sends the case to the city's objection review before it can be recognised.
 */
export const handler = stepHandler(inputSchema, async ({ caseId }) => {
  const objections = await listObjections(caseId);
  const open = objections.filter((objection) => objection.state === 'OPEN').length;
  logger.info('objections checked', { caseId, objections: objections.length, open });
  return { open };
});
