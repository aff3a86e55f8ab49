/** Small hand-written ASL definitions, shaped like the case workflow's states. */
export const ARN = {
  stateMachine: 'arn:aws:states:us-east-1:000000000000:stateMachine:TestWorkflow',
  check: 'arn:aws:lambda:us-east-1:000000000000:function:Check',
  openTask: 'arn:aws:lambda:us-east-1:000000000000:function:OpenTask',
  record: 'arn:aws:lambda:us-east-1:000000000000:function:Record',
};

export const DAY = 86_400_000;

const invoke = 'arn:aws:states:::lambda:invoke';
const callback = 'arn:aws:states:::lambda:invoke.waitForTaskToken';

/** Six states: two Lambda tasks with ResultSelector, a Choice, a Pass, a Succeed and a Fail. */
export const lambdaChain = {
  StartAt: 'AutoCheck',
  States: {
    AutoCheck: {
      Type: 'Task',
      Resource: invoke,
      Parameters: { FunctionName: ARN.check, Payload: { 'caseId.$': '$.caseId' } },
      ResultSelector: { 'verdict.$': '$.Payload.verdict' },
      ResultPath: '$.autoCheck',
      Catch: [{ ErrorEquals: ['CaseNotFound'], ResultPath: '$.failure', Next: 'Missing' }],
      Next: 'Verdict',
    },
    Verdict: {
      Type: 'Choice',
      Choices: [{ Variable: '$.autoCheck.verdict', StringEquals: 'ok', Next: 'RecordOutcome' }],
      Default: 'Ineligible',
    },
    RecordOutcome: {
      Type: 'Task',
      Resource: invoke,
      Parameters: { FunctionName: ARN.record, Payload: { 'caseId.$': '$.caseId', status: 'OK' } },
      ResultPath: null,
      Next: 'Stamp',
    },
    Stamp: { Type: 'Pass', Result: 'done', ResultPath: '$.stage', Next: 'Done' },
    Done: { Type: 'Succeed' },
    Ineligible: { Type: 'Fail', Error: 'Ineligible', Cause: 'auto-check said no' },
    Missing: { Type: 'Pass', End: true },
  },
};

/** A person's step: a callback with a 45-day timeout (longer than Node's timer limit) and catchers. */
export const review = {
  StartAt: 'CountyReview',
  States: {
    CountyReview: {
      Type: 'Task',
      Resource: callback,
      Parameters: {
        FunctionName: ARN.openTask,
        Payload: { 'taskToken.$': '$$.Task.Token', 'caseId.$': '$.caseId', type: 'county-review' },
      },
      ResultPath: '$.decision',
      TimeoutSeconds: 45 * 86_400,
      Catch: [
        { ErrorEquals: ['States.Timeout'], ResultPath: '$.timeout', Next: 'Expired' },
        { ErrorEquals: ['Rejected'], ResultPath: '$.failure', Next: 'Refused' },
      ],
      Next: 'Approved',
    },
    Approved: { Type: 'Succeed' },
    Expired: { Type: 'Succeed' },
    Refused: { Type: 'Succeed' },
  },
};

/** A callback with a heartbeat: a `States.Timeout` catcher also catches the heartbeat timeout. */
export const heartbeat = {
  StartAt: 'Inspect',
  States: {
    Inspect: {
      Type: 'Task',
      Resource: callback,
      Parameters: { FunctionName: ARN.openTask, Payload: { 'taskToken.$': '$$.Task.Token' } },
      TimeoutSeconds: 3600,
      HeartbeatSeconds: 60,
      Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: '$.timeout', Next: 'Lapsed' }],
      End: true,
    },
    Lapsed: { Type: 'Succeed' },
  },
};

/** Publicity: wait until a timestamp from the input, then record. */
export const publicity = {
  StartAt: 'Publicity',
  States: {
    Publicity: { Type: 'Wait', TimestampPath: '$.publicityEndsAt', Next: 'Hold' },
    Hold: { Type: 'Wait', Seconds: 3600, Next: 'Certify' },
    Certify: {
      Type: 'Task',
      Resource: invoke,
      Parameters: { FunctionName: ARN.record, 'Payload.$': '$' },
      ResultPath: null,
      End: true,
    },
  },
};

/** An expert panel: a Map with one callback per expert, then a Lambda task. */
export const panel = {
  StartAt: 'ExpertReview',
  States: {
    ExpertReview: {
      Type: 'Map',
      ItemsPath: '$.experts',
      ItemSelector: { 'caseId.$': '$.caseId', 'expertId.$': '$$.Map.Item.Value' },
      ItemProcessor: {
        ProcessorConfig: { Mode: 'INLINE' },
        StartAt: 'Score',
        States: {
          Score: {
            Type: 'Task',
            Resource: callback,
            Parameters: {
              FunctionName: ARN.openTask,
              Payload: { 'taskToken.$': '$$.Task.Token', 'caseId.$': '$.caseId', 'expertId.$': '$.expertId' },
            },
            TimeoutSeconds: 60 * 86_400,
            End: true,
          },
        },
      },
      ResultPath: '$.scores',
      Next: 'Aggregate',
    },
    Aggregate: {
      Type: 'Task',
      Resource: invoke,
      Parameters: { FunctionName: ARN.record, 'Payload.$': '$.scores' },
      ResultSelector: { 'total.$': '$.Payload.total' },
      ResultPath: '$.aggregate',
      End: true,
    },
  },
};
