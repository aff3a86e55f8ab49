import { z } from 'zod';
import { nowIso } from '#shared/clock';
import { logger } from '#shared/logger';
import { getRound } from '#shared/rounds/index';
import { autoCheck } from '#shared/rules/auto-check';
import { loadCase, recordAutoCheck } from '#shared/store/cases-repository';
import { stepHandler } from '#shared/workflow/step-handler';

const inputSchema = z.strictObject({ caseId: z.string().min(1) });

/**
 * The workflow's automatic check of a submitted case, over its evidence and the stats of its
 * verified rosters: the whole defect list is stored on the case for the applicant; only the verdict
 * travels on in the workflow (no number, no personal data in the execution's payload).
 */
export const handler = stepHandler(inputSchema, async ({ caseId }) => {
  const record = await loadCase(caseId);
  if (!record) throw new Error(`case ${caseId} not found`);
  // The case is judged by the round version it was created under.
  const round = getRound(record.head.roundId, record.head.roundVersion);
  if (!round) throw new Error(`round ${record.head.roundId} v${record.head.roundVersion} not configured`);

  const result = autoCheck(round, record);
  await recordAutoCheck(caseId, { at: nowIso(), ...result });
  logger.info('auto check', { caseId, verdict: result.verdict, defects: result.defects.length });
  return { verdict: result.verdict };
});
