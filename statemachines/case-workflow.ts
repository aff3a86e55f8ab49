import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import {
  Choice,
  Condition,
  Errors,
  type IChainable,
  IntegrationPattern,
  JsonPath,
  Succeed,
  TaskInput,
  Timeout,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { TASK_TIMEOUT_DAYS, type TaskType } from '#shared/workflow/tasks';

/**
 * The case workflow (DESIGN §4), as a chain of states built by small named factories.
 * Only ids travel between states; everything else lives in DynamoDB. Execution input:
 * `{ caseId, roundId, route }`.
 */
export interface CaseWorkflowFunctions {
  /** Checks the submitted case: `{ verdict: 'ok' | 'defects' | 'ineligible' }`. */
  readonly autoCheck: IFunction;
  /** Opens a person's task for a callback state and keeps its token server-side. */
  readonly openTask: IFunction;
  /** Records where a case ended (status, reason) and closes its open tasks. */
  readonly recordOutcome: IFunction;
}

export function buildCaseWorkflow(parent: Construct, fns: CaseWorkflowFunctions): IChainable {
  // States get their own scope: their ids are the state names and must not clash with other constructs.
  const scope = new Construct(parent, 'CaseWorkflowStates');
  const autoCheck = autoCheckState(scope, fns.autoCheck);
  const requestSupplement = callbackState(scope, 'RequestSupplement', 'supplement', fns.openTask);
  const countyReview = callbackState(scope, 'CountyReview', 'county-review', fns.openTask);

  const ineligible = outcome(scope, 'RecordIneligible', 'INELIGIBLE', 'auto-check', fns.recordOutcome).next(
    new Succeed(scope, 'Ineligible'),
  );
  const notRecommended = outcome(
    scope,
    'RecordNotRecommended',
    'REJECTED',
    'county-review',
    fns.recordOutcome,
  ).next(new Succeed(scope, 'NotRecommended'));
  const supplementExpired = outcome(
    scope,
    'RecordSupplementExpired',
    'REJECTED',
    'supplement-timeout',
    fns.recordOutcome,
  ).next(new Succeed(scope, 'SupplementExpired'));
  const reviewExpired = outcome(
    scope,
    'RecordCountyReviewExpired',
    'REJECTED',
    'county-review-timeout',
    fns.recordOutcome,
  ).next(new Succeed(scope, 'CountyReviewExpired'));
  // The stages after recommendation (on-site evaluation onwards) join here as the workflow grows.
  const recommended = new Succeed(scope, 'ReadyForCityEvaluation');

  requestSupplement.addCatch(supplementExpired, { errors: [Errors.TIMEOUT], resultPath: '$.timeout' });
  requestSupplement.next(autoCheck);

  countyReview.addCatch(reviewExpired, { errors: [Errors.TIMEOUT], resultPath: '$.timeout' });
  countyReview.next(
    new Choice(scope, 'CountyDecision')
      .when(Condition.stringEquals('$.decision.decision', 'approve'), recommended)
      .when(Condition.stringEquals('$.decision.decision', 'return'), requestSupplement)
      .otherwise(notRecommended),
  );

  const route = new Choice(scope, 'Route')
    .when(Condition.stringEquals('$.route', 'county'), countyReview)
    .otherwise(recommended);

  return autoCheck.next(
    new Choice(scope, 'AutoCheckVerdict')
      .when(Condition.stringEquals('$.autoCheck.verdict', 'ok'), route)
      .when(Condition.stringEquals('$.autoCheck.verdict', 'defects'), requestSupplement)
      .otherwise(ineligible),
  );
}

/** Every Lambda task retries transient Lambda errors with backoff (LambdaInvoke's service-exception retry). */
function autoCheckState(scope: Construct, fn: IFunction) {
  return retryThrottling(
    new LambdaInvoke(scope, 'AutoCheck', {
      lambdaFunction: fn,
      payload: TaskInput.fromObject({ caseId: JsonPath.stringAt('$.caseId') }),
      resultSelector: { 'verdict.$': '$.Payload.verdict' },
      resultPath: '$.autoCheck',
      retryOnServiceExceptions: true,
      taskTimeout: Timeout.duration(Duration.minutes(5)),
    }),
  );
}

/**
 * A person's step: the task token goes to `open-task`, which stores it server-side and shows the
 * task in an inbox; the workflow waits until the task is completed or its time runs out.
 */
function callbackState(scope: Construct, id: string, type: TaskType, fn: IFunction) {
  return retryThrottling(
    new LambdaInvoke(scope, id, {
      lambdaFunction: fn,
      integrationPattern: IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      payload: TaskInput.fromObject({
        taskToken: JsonPath.taskToken,
        caseId: JsonPath.stringAt('$.caseId'),
        type,
      }),
      resultPath: '$.decision',
      retryOnServiceExceptions: true,
      taskTimeout: Timeout.duration(Duration.days(TASK_TIMEOUT_DAYS[type])),
    }),
  );
}

function outcome(scope: Construct, id: string, status: string, reason: string, fn: IFunction) {
  return retryThrottling(
    new LambdaInvoke(scope, id, {
      lambdaFunction: fn,
      payload: TaskInput.fromObject({ caseId: JsonPath.stringAt('$.caseId'), status, reason }),
      resultPath: JsonPath.DISCARD,
      retryOnServiceExceptions: true,
      taskTimeout: Timeout.duration(Duration.minutes(1)),
    }),
  );
}

/** LambdaInvoke retries service exceptions; throttling is transient too and gets the same backoff. */
function retryThrottling(task: LambdaInvoke): LambdaInvoke {
  task.addRetry({
    errors: ['Lambda.TooManyRequestsException'],
    interval: Duration.seconds(2),
    backoffRate: 2,
    maxAttempts: 6,
  });
  return task;
}
