import { createHash } from 'node:crypto';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { z } from 'zod';
import { addWorkingDays, createCalendar } from '#shared/calendar/index';
import type { CaseAttention, CaseStatus } from '#shared/cases/model';
import { nowIso } from '#shared/clock';
import { ConflictError } from '#shared/errors';
import { logger } from '#shared/logger';
import { getRound } from '#shared/rounds/index';
import { closeTask, getCaseHead, loadCase, openTask, type StoredTask } from '#shared/store/cases-repository';
import { assigneeGroupFor } from '#shared/workflow/assignees';
import { stepHandler } from '#shared/workflow/step-handler';
import {
  ATTENTION_DUE_DAYS,
  dueWorkingDays,
  STATUS_WHILE_OPEN,
  TASK_TYPES,
  type TaskType,
} from '#shared/workflow/tasks';

const MAX_ATTEMPTS = 8;

const inputSchema = z.strictObject({
  taskToken: z.string().min(1),
  caseId: z.string().min(1),
  type: z.enum(TASK_TYPES),
  /** Expert review tasks name their expert. */
  expertId: z.string().min(1).optional(),
  /** Attention tasks name the failed state and carry the error Step Functions caught. */
  state: z.string().min(1).optional(),
  failure: z.looseObject({ Error: z.string().optional(), Cause: z.string().optional() }).optional(),
});

/**
 * Opens the task of a callback state: stores the task token server-side, puts the task in its
 * assignees' inbox with a working-day due date from the round, and moves the case to the status it
 * holds meanwhile. The task id derives from the token, so a retried invocation opens nothing twice.
 */
export const handler = stepHandler(inputSchema, async (input) => {
  const { taskToken, caseId, type, expertId } = input;
  const head = await getCaseHead(caseId);
  if (!head) throw new Error(`case ${caseId} not found`);
  const createdAt = nowIso();
  const taskId = `${caseId}.${createHash('sha256').update(taskToken).digest('hex').slice(0, 16)}`;

  if (type === 'attention') {
    // Nothing here may depend on what may have failed (the round, the calendar): the due date is
    // counted in calendar days, the status stays the case's own.
    const attention = explainFailure(input.state ?? 'unknown', input.failure ?? {}, createdAt);
    const dueAt = new Date(Date.parse(createdAt) + ATTENTION_DUE_DAYS * 86_400_000).toISOString();
    const task = {
      taskId,
      caseId,
      type,
      assigneeGroup: 'city',
      state: 'OPEN' as const,
      createdAt,
      dueAt,
      taskToken,
    };
    await expireDeadTasks(caseId, attention.state, createdAt);
    await openWithRetries(task, head.status, attention);
    logger.warn('case needs attention', { caseId, taskId, state: attention.state, error: attention.error });
    return { taskId };
  }

  const round = getRound(head.roundId, head.roundVersion);
  if (!round) throw new Error(`round ${head.roundId} not configured`);
  const calendar = createCalendar(round.calendar);
  const { dueAt } = addWorkingDays(calendar, createdAt, dueWorkingDays(round, type));

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
  if (!(await openWithRetries(task, STATUS_WHILE_OPEN[type]))) return { taskId };
  logger.info('task opened', { caseId, taskId, type, dueAt });
  return { taskId };
});

/** The task type each callback state (outside the expert Map) opens. */
const CALLBACK_TASK: Record<string, TaskType> = {
  RequestSupplement: 'supplement',
  CountyReview: 'county-review',
  OnSiteEvaluation: 'onsite-evaluation',
  AwaitSelection: 'selection',
  ObjectionReview: 'objection-review',
  ProvinceRecommendation: 'province-recommendation',
};

/**
 * A callback state that failed (its backstop timeout) no longer waits for its task: that task's
 * token is dead, so it leaves the inbox as expired; a retry opens a fresh one.
 */
async function expireDeadTasks(caseId: string, state: string, at: string): Promise<void> {
  const type = CALLBACK_TASK[state];
  if (!type) return;
  const record = await loadCase(caseId);
  for (const task of record?.tasks ?? []) {
    if (task.type !== type || task.state !== 'OPEN') continue;
    try {
      await closeTask(task, { state: 'EXPIRED', at });
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
    }
  }
}

/** Opens the task; false when a retried invocation finds it already open. */
async function openWithRetries(
  task: StoredTask,
  status: CaseStatus,
  attention?: CaseAttention,
): Promise<boolean> {
  const { caseId, taskId, type } = task;
  for (let attempt = 1; ; attempt++) {
    try {
      await openTask(task, status, 'system', attention);
      return true;
    } catch (error) {
      const reasons =
        error instanceof TransactionCanceledException
          ? (error.CancellationReasons ?? []).map((reason) => reason.Code)
          : [];
      // The same token twice: the first invocation already opened the task.
      if (reasons[0] === 'ConditionalCheckFailed') {
        logger.info('task already open', { caseId, taskId, type });
        return false;
      }
      // The panel's tasks open at once and all touch the case head: a lost race is tried again.
      if (reasons.includes('TransactionConflict') && attempt < MAX_ATTEMPTS) {
        await new Promise((resolve) => setTimeout(resolve, 25 * attempt + Math.random() * 50));
        continue;
      }
      throw error;
    }
  }
}

/**
 * A plain Chinese explanation for the city. The cause is an error message from our own code (ids,
 * never personal data); it is shortened, not shown raw.
 */
export function explainFailure(
  state: string,
  failure: { Error?: string; Cause?: string },
  since: string,
): CaseAttention {
  const error = failure.Error ?? 'States.ALL';
  let cause = failure.Cause ?? '';
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    if (typeof parsed.errorMessage === 'string') cause = parsed.errorMessage;
  } catch {
    // Not JSON: the cause is already a message.
  }
  // CalendarYearNotLoadedError's message (shared/calendar/errors.ts).
  const missingYear = /holiday schedule for (\d{4}) is not loaded/.exec(cause)?.[1];
  const message =
    error === 'States.Timeout'
      ? `步骤“${state}”等待超过期限，请核实后重试或作出决定`
      : missingYear
        ? `请先录入 ${missingYear} 年节假日安排`
        : `步骤“${state}”执行失败（${error}），请排除原因后重试，或驳回申报`;
  return { state, error, message, since };
}
