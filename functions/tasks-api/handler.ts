import { nowIso } from '#shared/clock';
import { ConflictError, NotFoundError, UnprocessableError } from '#shared/errors';
import { apiHandler, type RouteRequest } from '#shared/http/api-handler';
import type { Principal } from '#shared/http/principal';
import { completionBody, taskParams } from '#shared/http/requests';
import { json } from '#shared/http/responses';
import { logger } from '#shared/logger';
import { getRound } from '#shared/rounds/index';
import { scoreSheetDefects } from '#shared/rules/scoring';
import {
  appendAuditEntry,
  clearAttention,
  closeTask,
  expireClosedTask,
  getCaseHead,
  getTask,
  listOpenTasks,
  loadCase,
  reopenTask,
  type StoredTask,
} from '#shared/store/cases-repository';
import { listObjections } from '#shared/store/rounds-repository';
import { assigneeGroupsOf } from '#shared/workflow/assignees';
import { applyCompletionEffects } from '#shared/workflow/completion-effects';
import { DECISIONS_BY_TASK } from '#shared/workflow/decisions';
import { reviewerCaseView } from '#shared/workflow/review-view';
import { resumeTask } from '#shared/workflow/sfn';
import { isStaffTask, SCORED_TASKS, type StaffTaskType } from '#shared/workflow/tasks';

/** The caller's own staff task, or a 404 that reveals nothing (another scope's task does not exist). */
async function callerTask(
  request: RouteRequest,
  caller: Principal,
): Promise<StoredTask & { type: StaffTaskType }> {
  const { taskId } = request.params(taskParams);
  const task = await getTask(taskId);
  if (!task || !isStaffTask(task.type) || !assigneeGroupsOf(caller).includes(task.assigneeGroup)) {
    throw new NotFoundError('TASK_NOT_FOUND', '没有找到该待办');
  }
  return task as StoredTask & { type: StaffTaskType };
}

export const handler = apiHandler('tasks-api', {
  'GET /v1/tasks': async (request) => {
    const caller = request.requireRole('county', 'city', 'expert');
    const now = nowIso();
    const tasks = await listOpenTasks(assigneeGroupsOf(caller));
    return json(200, {
      items: tasks.map(({ taskId, caseId, type, createdAt, dueAt }) => ({
        taskId,
        caseId,
        type,
        createdAt,
        dueAt,
        overdue: dueAt < now,
      })),
    });
  },

  'GET /v1/tasks/{taskId}': async (request) => {
    const caller = request.requireRole('county', 'city', 'expert');
    const task = await callerTask(request, caller);
    const record = await loadCase(task.caseId);
    if (!record) throw new NotFoundError('TASK_NOT_FOUND', '没有找到该待办');
    const round = getRound(record.head.roundId, record.head.roundVersion);
    const objections =
      task.type === 'objection-review'
        ? (await listObjections(task.caseId)).map(
            ({ objectionId, reason, phoneMasked, receivedAt, state }) => ({
              objectionId,
              reason,
              phoneMasked,
              receivedAt,
              state,
            }),
          )
        : undefined;
    return json(200, {
      taskId: task.taskId,
      caseId: task.caseId,
      type: task.type,
      state: task.state,
      createdAt: task.createdAt,
      dueAt: task.dueAt,
      overdue: task.state === 'OPEN' && task.dueAt < nowIso(),
      decisions: DECISIONS_BY_TASK[task.type],
      ...(task.type === 'attention' && record.head.attention ? { attention: record.head.attention } : {}),
      ...(SCORED_TASKS.includes(task.type) && round ? { rubric: round.rubric[record.head.kind] } : {}),
      ...(objections ? { objections } : {}),
      case: reviewerCaseView(record, round),
    });
  },

  'POST /v1/tasks/{taskId}/complete': async (request) => {
    const caller = request.requireRole('county', 'city', 'expert');
    const body = request.body(completionBody);
    const task = await callerTask(request, caller);
    if (!DECISIONS_BY_TASK[task.type].includes(body.decision)) {
      throw new UnprocessableError('DECISION_NOT_ALLOWED', `此类待办不接受“${body.decision}”决定`, [
        {
          path: 'body.decision',
          code: 'DECISION_NOT_ALLOWED',
          message: `可选：${DECISIONS_BY_TASK[task.type].join('、')}`,
        },
      ]);
    }
    if (task.state !== 'OPEN') throw new ConflictError('TASK_CLOSED', '该待办已经办结');

    const head = await getCaseHead(task.caseId);
    const round = head ? getRound(head.roundId, head.roundVersion) : undefined;
    if (!head || !round) throw new NotFoundError('TASK_NOT_FOUND', '没有找到该待办');
    if (SCORED_TASKS.includes(task.type)) {
      const defects = scoreSheetDefects(round.rubric[head.kind], body.scores);
      if (defects.length > 0) {
        throw new UnprocessableError('INVALID_SCORES', `评分有 ${defects.length} 处问题`, defects);
      }
    } else if (body.scores !== undefined) {
      throw new UnprocessableError('SCORES_NOT_ALLOWED', '此类待办不需要评分', [
        { path: 'body.scores', code: 'SCORES_NOT_ALLOWED', message: '只有实地考评和专家评审需要评分' },
      ]);
    }

    const completedAt = nowIso();
    // Close first: of two concurrent completions only one passes this conditional write (the other 409s).
    await closeTask(task, {
      state: 'DONE',
      at: completedAt,
      decision: body.decision,
      opinion: body.opinion,
      signer: caller.sub,
    });
    let effects: Awaited<ReturnType<typeof applyCompletionEffects>>;
    try {
      effects = await applyCompletionEffects({
        task,
        head,
        round,
        decision: body.decision,
        opinion: body.opinion,
        ...(body.scores ? { scores: body.scores } : {}),
        signer: caller.sub,
        at: completedAt,
      });
    } catch (error) {
      await reopenTask(task);
      throw error;
    }
    // Cleared before resuming: a retried step that fails again sets a new attention at once.
    if (task.type === 'attention') await clearAttention(task.caseId);
    try {
      await resumeTask(task.taskToken, { decision: body.decision });
    } catch (error) {
      // The workflow did not take the decision. If it has moved on (the task timed out) the task is
      // over; if the call failed, the task goes back to the inbox. Nothing stays half-done.
      await effects.undo();
      if (error instanceof ConflictError) await expireClosedTask(task);
      else await reopenTask(task);
      throw error;
    }
    // The decision is in the audit trail once the workflow has taken it (scores are in the scores table).
    await appendAuditEntry(task.caseId, {
      at: completedAt,
      status: head.status,
      actor: { id: caller.sub, role: caller.role },
      action: `task-completed:${task.type}`,
      note: effects.total !== undefined ? `${body.decision} (${effects.total})` : body.decision,
    });
    logger.info('task completed', {
      taskId: task.taskId,
      caseId: task.caseId,
      type: task.type,
      decision: body.decision,
    });
    return json(200, {
      taskId: task.taskId,
      caseId: task.caseId,
      type: task.type,
      decision: body.decision,
      completedAt,
      ...(effects.total !== undefined ? { total: effects.total } : {}),
    });
  },
});
