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
  // One end for every case the city rejects from an attention task; built first because every
  // other state's attention path may lead to it.
  const rejectedRecord = outcome(
    scope,
    'RecordAttentionRejected',
    'REJECTED',
    'attention-rejected',
    fns.recordOutcome,
  );
  const attention = attentionFactory(scope, fns.openTask, rejectedRecord);
  attention(rejectedRecord, 'RecordAttentionRejected', rejectedRecord);
  rejectedRecord.next(new Succeed(scope, 'AttentionRejected'));

  const ending = (id: string, status: CaseStatus, reason: string, end: string) =>
    attention(outcome(scope, id, status, reason, fns.recordOutcome), id).next(new Succeed(scope, end));

  const autoCheck = attention(autoCheckState(scope, fns.autoCheck), 'AutoCheck');
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
  attention(requestSupplement, 'RequestSupplement');
  requestSupplement.next(autoCheck);

  attention(countyReview, 'CountyReview');
  countyReview.next(
    new Choice(scope, 'CountyDecision')
      .when(decisionIs('approve'), onSiteEvaluation)
      .when(decisionIs('return'), requestSupplement)
      .otherwise(ending('RecordNotRecommended', 'REJECTED', 'county-review', 'NotRecommended')),
  );

  // Evaluation: on-site scores by the city, then the expert panel, one task per expert.
  attention(onSiteEvaluation, 'OnSiteEvaluation');
  const expertPanel = attention(expertPanelState(scope, fns.expertPanel), 'ExpertPanel');
  onSiteEvaluation.next(
    new Choice(scope, 'OnSiteDecision')
      .when(decisionIs('approve'), expertPanel)
      .otherwise(ending('RecordOnSiteRejected', 'REJECTED', 'onsite-evaluation', 'FailedOnSite')),
  );
  const expertReview = expertReviewMap(scope, fns.openTask, attention);
  expertPanel.next(expertReview);
  expertReview
    .next(attention(idTask(scope, 'AggregateScores', fns.aggregateScores), 'AggregateScores'))
    .next(awaitSelection);

  // Selection and publicity: the round's selection resolves AwaitSelection; the Wait ends publicity.
  attention(awaitSelection, 'AwaitSelection');
  const publicity = new Wait(scope, 'Publicity', {
    time: WaitTime.timestampPath('$.selection.publicityEndsAt'),
  });
  const checkObjections = attention(
    retryThrottling(
      new LambdaInvoke(scope, 'CheckObjections', {
        lambdaFunction: fns.checkObjections,
        payload: TaskInput.fromObject({ caseId: JsonPath.stringAt('$.caseId') }),
        resultSelector: { 'open.$': '$.Payload.open' },
        resultPath: '$.objections',
        retryOnServiceExceptions: true,
        taskTimeout: Timeout.duration(Duration.minutes(1)),
      }),
    ),
    'CheckObjections',
  );
  awaitSelection.next(
    new Choice(scope, 'SelectionDecision')
      .when(
        Condition.stringEquals('$.selection.decision', 'approve'),
        attention(
          outcome(scope, 'RecordPublicity', 'PUBLICITY', 'selected', fns.recordOutcome),
          'RecordPublicity',
        )
          .next(publicity)
          .next(checkObjections),
      )
      .otherwise(ending('RecordNotSelected', 'NOT_SELECTED', 'not-selected', 'NotSelected')),
  );

  // Objections, recognition, the province.
  const certify = attention(idTask(scope, 'Certify', fns.certify), 'Certify');
  checkObjections.next(
    new Choice(scope, 'ObjectionsOpen')
      .when(Condition.numberGreaterThan('$.objections.open', 0), objectionReview)
      .otherwise(certify),
  );
  attention(objectionReview, 'ObjectionReview');
  objectionReview.next(
    new Choice(scope, 'ObjectionDecision')
      .when(decisionIs('approve'), certify)
      .otherwise(ending('RecordObjectionUpheld', 'REJECTED', 'objection-upheld', 'ObjectionUpheld')),
  );

  const done = new Succeed(scope, 'Done');
  // The province not answering is itself an outcome (the recognition stands); other failures need a person.
  provinceRecommendation.addCatch(
    attention(
      provinceDecisionState(scope, 'RecordProvinceTimeout', 'timeout', fns.recordProvinceDecision),
      'RecordProvinceTimeout',
    ).next(done),
    { errors: [Errors.TIMEOUT], resultPath: '$.timeout' },
  );
  attention(provinceRecommendation, 'ProvinceRecommendation');
  certify
    .next(provinceRecommendation)
    .next(
      attention(
        provinceDecisionState(
          scope,
          'RecordProvinceDecision',
          JsonPath.stringAt('$.decision.decision'),
          fns.recordProvinceDecision,
        ),
        'RecordProvinceDecision',
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

type Attention = <T extends LambdaInvoke>(state: T, name: string, onReject?: IChainable) => T;

/**
 * A case needing attention (需人工处理): after a state's own retries, any error (a bug, a throttled
 * table, a missing calendar year, a callback's months-long backstop timeout) goes to
 * `Attention<State>`, a city task opened by open-task with the state name, error and cause. Its
 * completion chooses: `retry` runs the failed state again (and whatever follows) in the same
 * execution, `reject` ends the case with the city's opinion. The case keeps its business status.
 * `States.ALL` cannot catch `States.Runtime` or `States.DataLimitExceeded` (terminal by definition);
 * payloads carry only ids so the latter never happens, and the former is a definition bug.
 */
function attentionFactory(scope: Construct, openTask: IFunction, rejected: IChainable): Attention {
  return (state, name, onReject = rejected) => {
    const park = new LambdaInvoke(scope, `Attention${name}`, {
      lambdaFunction: openTask,
      integrationPattern: IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      payload: TaskInput.fromObject({
        taskToken: JsonPath.taskToken,
        caseId: JsonPath.stringAt('$.caseId'),
        type: 'attention',
        state: name,
        // The whole caught error object ({ Error, Cause }): Cause is not always present.
        failure: JsonPath.stringAt('$.failure'),
      }),
      resultPath: '$.attention',
      retryOnServiceExceptions: true,
      taskTimeout: Timeout.duration(Duration.days(TASK_TIMEOUT_DAYS.attention)),
    });
    retryThrottling(park);
    // Opening the attention task itself failing, or nobody answering for months: ask again an hour
    // later (never a tight loop, never an end by silence).
    park.addCatch(
      new Wait(scope, `Attention${name}Again`, { time: WaitTime.duration(Duration.hours(1)) }).next(park),
      { errors: [Errors.ALL], resultPath: '$.failure' },
    );
    park.next(
      new Choice(scope, `Attention${name}Decision`)
        .when(Condition.stringEquals('$.attention.decision', 'retry'), state)
        .otherwise(onReject),
    );
    state.addCatch(park, { errors: [Errors.ALL], resultPath: '$.failure' });
    return state;
  };
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
function expertReviewMap(scope: Construct, openTask: IFunction, attention: Attention) {
  const score = callbackState(scope, 'ExpertScore', 'expert-review', openTask, JsonPath.DISCARD, {
    expertId: JsonPath.stringAt('$.expertId'),
  });
  score.addCatch(new Pass(scope, 'ExpertAbsent', { resultPath: JsonPath.DISCARD }), {
    errors: [Errors.TIMEOUT],
    resultPath: JsonPath.DISCARD,
  });
  // Inside the Map: a failure of one expert's task parks that iteration for the city. The Map's
  // states cannot end the case, so there `reject` skips the expert (the aggregate counts who scored).
  attention(score, 'ExpertScore', new Pass(scope, 'ExpertSkipped', { resultPath: JsonPath.DISCARD }));
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
