import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import {
  Choice,
  Condition,
  Errors,
  type IChainable,
  IntegrationPattern,
  JsonPath,
  Map as MapState,
  Pass,
  Succeed,
  TaskInput,
  Timeout,
  Wait,
  WaitTime,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import type { CaseStatus } from '#shared/cases/model';
import { TASK_TIMEOUT_DAYS, type TaskType } from '#shared/workflow/tasks';

/**
 * The case workflow (DESIGN §4), as a chain of states built by small named factories.
 * Only ids travel between states (and the publicity end, which the Wait reads); everything else
 * lives in DynamoDB. Execution input: `{ caseId, roundId, route }`.
 *
 * ```
 * AutoCheck ─┬ defects ─▶ RequestSupplement ─▶ AutoCheck
 *            ├ ineligible ─▶ Ineligible
 *            └ ok ─▶ Route ─ county ─▶ CountyReview ─┬ approve ─▶ OnSiteEvaluation
 *                          └ direct ──────────────── │ ─────────▶ OnSiteEvaluation
 *                                                    ├ return ──▶ RequestSupplement
 *                                                    └ reject ──▶ NotRecommended
 * OnSiteEvaluation ─ approve ─▶ ExpertPanel ─▶ ExpertReview (Map: one callback per expert)
 *   ─▶ AggregateScores ─▶ AwaitSelection ─ selected ─▶ RecordPublicity ─▶ Publicity (Wait until the end)
 *   ─▶ CheckObjections ─ open ─▶ ObjectionReview ─ dismissed ─▶ Certify ; upheld ─▶ ObjectionUpheld
 *   ─▶ Certify ─▶ ProvinceRecommendation ─▶ RecordProvinceDecision ─▶ Done
 * ```
 * Every callback has a `TimeoutSeconds` and a timeout path; every Lambda task retries transient errors.
 */
export interface CaseWorkflowFunctions {
  /** Checks the submitted case: `{ verdict: 'ok' | 'defects' | 'ineligible' }`. */
  readonly autoCheck: IFunction;
  /** Opens a person's task for a callback state and keeps its token server-side. */
  readonly openTask: IFunction;
  /** Records a status the workflow sets without a task (an end, publicity) and closes open tasks. */
  readonly recordOutcome: IFunction;
  /** The expert ids of the case's round: `{ experts: string[] }`. */
  readonly expertPanel: IFunction;
  /** Aggregates the panel's scores of a case into the scores table. */
  readonly aggregateScores: IFunction;
  /** Counts the open objections of a case: `{ open: number }`. */
  readonly checkObjections: IFunction;
  /** Certificate number, reward, recognition record; the case becomes CERTIFIED. */
  readonly certify: IFunction;
  /** Records the province-recommendation decision on the recognition. */
  readonly recordProvinceDecision: IFunction;
}

export function buildCaseWorkflow(parent: Construct, fns: CaseWorkflowFunctions): IChainable {
  // States get their own scope: their ids are the state names and must not clash with other constructs.
  const scope = new Construct(parent, 'CaseWorkflowStates');
  const ending = (id: string, status: CaseStatus, reason: string, end: string) =>
    outcome(scope, id, status, reason, fns.recordOutcome).next(new Succeed(scope, end));

  const autoCheck = autoCheckState(scope, fns.autoCheck);
  const requestSupplement = callbackState(scope, 'RequestSupplement', 'supplement', fns.openTask);
  const countyReview = callbackState(scope, 'CountyReview', 'county-review', fns.openTask);
  const onSiteEvaluation = callbackState(scope, 'OnSiteEvaluation', 'onsite-evaluation', fns.openTask);
  const awaitSelection = callbackState(scope, 'AwaitSelection', 'selection', fns.openTask, '$.selection');
  const objectionReview = callbackState(scope, 'ObjectionReview', 'objection-review', fns.openTask);
  const provinceRecommendation = callbackState(
    scope,
    'ProvinceRecommendation',
    'province-recommendation',
    fns.openTask,
  );

  // Application: the automatic check, supplements, county review.
  requestSupplement.addCatch(
    ending('RecordSupplementExpired', 'REJECTED', 'supplement-timeout', 'SupplementExpired'),
    { errors: [Errors.TIMEOUT], resultPath: '$.timeout' },
  );
  requestSupplement.next(autoCheck);

  countyReview.addCatch(
    ending('RecordCountyReviewExpired', 'REJECTED', 'county-review-timeout', 'CountyReviewExpired'),
    { errors: [Errors.TIMEOUT], resultPath: '$.timeout' },
  );
  countyReview.next(
    new Choice(scope, 'CountyDecision')
      .when(decisionIs('approve'), onSiteEvaluation)
      .when(decisionIs('return'), requestSupplement)
      .otherwise(ending('RecordNotRecommended', 'REJECTED', 'county-review', 'NotRecommended')),
  );

  // Evaluation: on-site scores by the city, then the expert panel, one task per expert.
  onSiteEvaluation.addCatch(
    ending('RecordOnSiteExpired', 'REJECTED', 'onsite-evaluation-timeout', 'OnSiteEvaluationExpired'),
    { errors: [Errors.TIMEOUT], resultPath: '$.timeout' },
  );
  const expertPanel = expertPanelState(scope, fns.expertPanel);
  onSiteEvaluation.next(
    new Choice(scope, 'OnSiteDecision')
      .when(decisionIs('approve'), expertPanel)
      .otherwise(ending('RecordOnSiteRejected', 'REJECTED', 'onsite-evaluation', 'FailedOnSite')),
  );
  const expertReview = expertReviewMap(scope, fns.openTask);
  expertPanel.next(expertReview);
  expertReview.next(idTask(scope, 'AggregateScores', fns.aggregateScores)).next(awaitSelection);

  // Selection and publicity: the round's selection resolves AwaitSelection; the Wait ends publicity.
  awaitSelection.addCatch(
    ending('RecordSelectionExpired', 'NOT_SELECTED', 'selection-timeout', 'SelectionExpired'),
    { errors: [Errors.TIMEOUT], resultPath: '$.timeout' },
  );
  const publicity = new Wait(scope, 'Publicity', {
    time: WaitTime.timestampPath('$.selection.publicityEndsAt'),
  });
  const checkObjections = retryThrottling(
    new LambdaInvoke(scope, 'CheckObjections', {
      lambdaFunction: fns.checkObjections,
      payload: TaskInput.fromObject({ caseId: JsonPath.stringAt('$.caseId') }),
      resultSelector: { 'open.$': '$.Payload.open' },
      resultPath: '$.objections',
      retryOnServiceExceptions: true,
      taskTimeout: Timeout.duration(Duration.minutes(1)),
    }),
  );
  awaitSelection.next(
    new Choice(scope, 'SelectionDecision')
      .when(
        Condition.stringEquals('$.selection.decision', 'approve'),
        outcome(scope, 'RecordPublicity', 'PUBLICITY', 'selected', fns.recordOutcome)
          .next(publicity)
          .next(checkObjections),
      )
      .otherwise(ending('RecordNotSelected', 'NOT_SELECTED', 'not-selected', 'NotSelected')),
  );

  // Objections, recognition, the province.
  const certify = idTask(scope, 'Certify', fns.certify);
  checkObjections.next(
    new Choice(scope, 'ObjectionsOpen')
      .when(Condition.numberGreaterThan('$.objections.open', 0), objectionReview)
      .otherwise(certify),
  );
  objectionReview.addCatch(
    ending('RecordObjectionReviewExpired', 'REJECTED', 'objection-review-timeout', 'ObjectionReviewExpired'),
    { errors: [Errors.TIMEOUT], resultPath: '$.timeout' },
  );
  objectionReview.next(
    new Choice(scope, 'ObjectionDecision')
      .when(decisionIs('approve'), certify)
      .otherwise(ending('RecordObjectionUpheld', 'REJECTED', 'objection-upheld', 'ObjectionUpheld')),
  );

  const done = new Succeed(scope, 'Done');
  provinceRecommendation.addCatch(
    provinceDecisionState(scope, 'RecordProvinceTimeout', 'timeout', fns.recordProvinceDecision).next(done),
    { errors: [Errors.TIMEOUT], resultPath: '$.timeout' },
  );
  certify
    .next(provinceRecommendation)
    .next(
      provinceDecisionState(
        scope,
        'RecordProvinceDecision',
        JsonPath.stringAt('$.decision.decision'),
        fns.recordProvinceDecision,
      ),
    )
    .next(done);

  const route = new Choice(scope, 'Route')
    .when(Condition.stringEquals('$.route', 'county'), countyReview)
    .otherwise(onSiteEvaluation);

  return autoCheck.next(
    new Choice(scope, 'AutoCheckVerdict')
      .when(Condition.stringEquals('$.autoCheck.verdict', 'ok'), route)
      .when(Condition.stringEquals('$.autoCheck.verdict', 'defects'), requestSupplement)
      .otherwise(ending('RecordIneligible', 'INELIGIBLE', 'auto-check', 'Ineligible')),
  );
}

const decisionIs = (decision: string) => Condition.stringEquals('$.decision.decision', decision);

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

/** A step that needs only the case id and whose result the workflow does not keep. */
function idTask(scope: Construct, id: string, fn: IFunction) {
  return retryThrottling(
    new LambdaInvoke(scope, id, {
      lambdaFunction: fn,
      payload: TaskInput.fromObject({ caseId: JsonPath.stringAt('$.caseId') }),
      resultPath: JsonPath.DISCARD,
      retryOnServiceExceptions: true,
      taskTimeout: Timeout.duration(Duration.minutes(1)),
    }),
  );
}

function expertPanelState(scope: Construct, fn: IFunction) {
  return retryThrottling(
    new LambdaInvoke(scope, 'ExpertPanel', {
      lambdaFunction: fn,
      payload: TaskInput.fromObject({ caseId: JsonPath.stringAt('$.caseId') }),
      resultSelector: { 'experts.$': '$.Payload.experts' },
      resultPath: '$.panel',
      retryOnServiceExceptions: true,
      taskTimeout: Timeout.duration(Duration.minutes(1)),
    }),
  );
}

/**
 * Central review (集中评审): one callback task per expert of the round's panel, all at once. An expert
 * whose time runs out is skipped (the aggregate counts who scored), so one absent expert never
 * fails the panel. The iterations' results are dropped: the scores are in the scores table.
 */
function expertReviewMap(scope: Construct, openTask: IFunction) {
  const score = callbackState(scope, 'ExpertScore', 'expert-review', openTask, JsonPath.DISCARD, {
    expertId: JsonPath.stringAt('$.expertId'),
  });
  score.addCatch(new Pass(scope, 'ExpertAbsent', { resultPath: JsonPath.DISCARD }), {
    errors: [Errors.TIMEOUT],
    resultPath: JsonPath.DISCARD,
  });
  const map = new MapState(scope, 'ExpertReview', {
    itemsPath: '$.panel.experts',
    itemSelector: {
      caseId: JsonPath.stringAt('$.caseId'),
      expertId: JsonPath.stringAt('$$.Map.Item.Value'),
    },
    resultPath: JsonPath.DISCARD,
  });
  map.itemProcessor(score);
  return map;
}

/**
 * A person's step: the task token goes to `open-task`, which stores it server-side and shows the
 * task in an inbox; the workflow waits until the task is completed or its time runs out.
 */
function callbackState(
  scope: Construct,
  id: string,
  type: TaskType,
  fn: IFunction,
  resultPath: string = '$.decision',
  extra: Record<string, unknown> = {},
) {
  return retryThrottling(
    new LambdaInvoke(scope, id, {
      lambdaFunction: fn,
      integrationPattern: IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      payload: TaskInput.fromObject({
        taskToken: JsonPath.taskToken,
        caseId: JsonPath.stringAt('$.caseId'),
        type,
        ...extra,
      }),
      resultPath,
      retryOnServiceExceptions: true,
      taskTimeout: Timeout.duration(Duration.days(TASK_TIMEOUT_DAYS[type])),
    }),
  );
}

function outcome(scope: Construct, id: string, status: CaseStatus, reason: string, fn: IFunction) {
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

function provinceDecisionState(scope: Construct, id: string, decision: string, fn: IFunction) {
  return retryThrottling(
    new LambdaInvoke(scope, id, {
      lambdaFunction: fn,
      payload: TaskInput.fromObject({ caseId: JsonPath.stringAt('$.caseId'), decision }),
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
