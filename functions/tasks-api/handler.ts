import { z } from 'zod';
import { nowIso } from '#shared/clock';
import { ConflictError, NotFoundError, UnprocessableError } from '#shared/errors';
import { apiHandler } from '#shared/http/api-handler';
import { json } from '#shared/http/responses';
import { logger } from '#shared/logger';
import {
  closeTask,
  expireClosedTask,
  getTask,
  listOpenTasks,
  reopenTask,
} from '#shared/store/cases-repository';
import { assigneeGroupsOf } from '#shared/workflow/assignees';
import { DECISIONS, DECISIONS_BY_TASK } from '#shared/workflow/decisions';
import { resumeTask } from '#shared/workflow/sfn';

const completionSchema = z.strictObject({
  decision: z.enum(DECISIONS),
  opinion: z.string().trim().min(1).max(2000),
  scores: z.record(z.string(), z.number().finite().nonnegative()).optional(),
});

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

  'POST /v1/tasks/{taskId}/complete': async (request) => {
    const caller = request.requireRole('county', 'city', 'expert');
    const { taskId } = request.params(z.object({ taskId: z.string().min(1).max(200) }));
    const body = request.body(completionSchema);

    const task = await getTask(taskId);
    // A task outside the caller's scope does not exist for the caller.
    if (!task || !assigneeGroupsOf(caller).includes(task.assigneeGroup)) {
      throw new NotFoundError('TASK_NOT_FOUND', '没有找到该待办');
    }
    if (task.type === 'supplement') throw new NotFoundError('TASK_NOT_FOUND', '没有找到该待办');
    if (!DECISIONS_BY_TASK[task.type].includes(body.decision)) {
      throw new UnprocessableError('DECISION_NOT_ALLOWED', `此类待办不接受“${body.decision}”决定`, [
        {
          path: 'body.decision',
          code: 'DECISION_NOT_ALLOWED',
          message: `可选：${DECISIONS_BY_TASK[task.type].join('、')}`,
        },
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
    try {
      await resumeTask(task.taskToken, { decision: body.decision });
    } catch (error) {
      // The workflow did not take the decision. If it has moved on (the task timed out) the task is
      // over; if the call failed, the task goes back to the inbox. Nothing stays half-done.
      if (error instanceof ConflictError) await expireClosedTask(task);
      else await reopenTask(task);
      throw error;
    }
    logger.info('task completed', { taskId, caseId: task.caseId, type: task.type, decision: body.decision });
    return json(200, { taskId, caseId: task.caseId, type: task.type, decision: body.decision, completedAt });
  },
});
