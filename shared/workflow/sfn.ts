import {
  ExecutionAlreadyExists,
  InvalidToken,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { ConflictError } from '../errors';

/** One Step Functions client per process; its endpoint comes from the standard SDK configuration. */
let client: SFNClient | undefined;
const sfn = () => {
  client ??= new SFNClient({});
  return client;
};

/**
 * Resumes a parked callback state. A token that was already used or has timed out is a 409; so is
 * one Step Functions knows no task of (`TaskDoesNotExist`): for the caller the task is not open.
 */
export async function resumeTask(taskToken: string, output: Record<string, unknown>): Promise<void> {
  try {
    await sfn().send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
  } catch (error) {
    if (error instanceof TaskTimedOut || error instanceof TaskDoesNotExist || error instanceof InvalidToken) {
      throw new ConflictError('TASK_CLOSED', '该待办已经办结或已超时', undefined, { cause: error });
    }
    throw error;
  }
}

/**
 * Starts the case workflow. The execution name is `<caseId>-<attempt>`, so a retried submission
 * starts nothing twice (StartExecution is idempotent by name and input).
 */
export async function startCaseWorkflow(
  stateMachineArn: string,
  input: { caseId: string; roundId: string; route: string },
  attempt: number,
): Promise<string> {
  try {
    const result = await sfn().send(
      new StartExecutionCommand({
        stateMachineArn,
        name: `${input.caseId}-${attempt}`,
        input: JSON.stringify(input),
      }),
    );
    return result.executionArn ?? '';
  } catch (error) {
    if (error instanceof ExecutionAlreadyExists) {
      throw new ConflictError('ALREADY_SUBMITTED', '该申报已经提交', undefined, { cause: error });
    }
    throw error;
  }
}
