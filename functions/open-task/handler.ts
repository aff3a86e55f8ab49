import { createHash } from 'node:crypto';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { z } from 'zod';
import { addWorkingDays, createCalendar } from '#shared/calendar/index';
import { nowIso } from '#shared/clock';
import { logger } from '#shared/logger';
import { getRound } from '#shared/rounds/index';
import { getCaseHead, openTask } from '#shared/store/cases-repository';
import { assigneeGroupFor } from '#shared/workflow/assignees';
import { stepHandler } from '#shared/workflow/step-handler';
import { dueWorkingDays, STATUS_WHILE_OPEN, TASK_TYPES } from '#shared/workflow/tasks';

const MAX_ATTEMPTS = 8;

const inputSchema = z.strictObject({
  taskToken: z.string().min(1),
  caseId: z.string().min(1),
  type: z.enum(TASK_TYPES),
  /** Expert review tasks name their expert. */
  expertId: z.string().min(1).optional(),
});

/**
 * Opens the task of a callback state: stores the task token server-side, puts the task in its
 * assignees' inbox with a working-day due date from the round, and moves the case to the status it
 * holds meanwhile. The task id derives from the token, so a retried invocation opens nothing twice.
 */
export const handler = stepHandler(inputSchema, async ({ taskToken, caseId, type, expertId }) => {
  const head = await getCaseHead(caseId);
  if (!head) throw new Error(`case ${caseId} not found`);
  const round = getRound(head.roundId, head.roundVersion);
  if (!round) throw new Error(`round ${head.roundId} not configured`);

  const createdAt = nowIso();
  const calendar = createCalendar(round.calendar);
  const { dueAt } = addWorkingDays(calendar, createdAt, dueWorkingDays(round, type));
  const taskId = `${caseId}.${createHash('sha256').update(taskToken).digest('hex').slice(0, 16)}`;

  const task = {
    taskId,
    caseId,
    type,
    assigneeGroup: assigneeGroupFor(type, head, expertId),
    state: 'OPEN' as const,
    createdAt,
    dueAt,
    taskToken,
  };
  for (let attempt = 1; ; attempt++) {
    try {
      await openTask(task, STATUS_WHILE_OPEN[type], 'system');
      break;
    } catch (error) {
      const reasons =
        error instanceof TransactionCanceledException
          ? (error.CancellationReasons ?? []).map((reason) => reason.Code)
          : [];
      // The same token twice: the first invocation already opened the task.
      if (reasons[0] === 'ConditionalCheckFailed') {
        logger.info('task already open', { caseId, taskId, type });
        return { taskId };
      }
      // The panel's tasks open at once and all touch the case head: a lost race is tried again.
      if (reasons.includes('TransactionConflict') && attempt < MAX_ATTEMPTS) {
        await new Promise((resolve) => setTimeout(resolve, 25 * attempt + Math.random() * 50));
        continue;
      }
      throw error;
    }
  }
  logger.info('task opened', { caseId, taskId, type, dueAt });
  return { taskId };
});
