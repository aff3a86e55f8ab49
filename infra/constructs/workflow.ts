import { RemovalPolicy } from 'aws-cdk-lib';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { buildCaseWorkflow } from '#statemachines/case-workflow';
import { LaowuFunction } from '../laowu-function';
import type { Storage } from './storage';

/**
 * The case workflow: the state machine and the functions its states invoke. The definition itself
 * lives in `statemachines/case-workflow.ts`; this construct gives it functions, logs and tracing.
 */
export class Workflow extends Construct {
  readonly stateMachine: StateMachine;
  readonly functions: LaowuFunction[];
  /** The steps that publish the certificate document and the certified feed's exports. */
  readonly publishers: { certify: LaowuFunction; recordProvinceDecision: LaowuFunction };

  constructor(scope: Construct, id: string, props: { storage: Storage }) {
    super(scope, id);
    const { storage } = props;

    const fn = (id: string, functionName: string) => new LaowuFunction(this, id, { functionName });
    const autoCheck = fn('AutoCheck', 'auto-check');
    const openTask = fn('OpenTask', 'open-task');
    const recordOutcome = fn('RecordOutcome', 'record-outcome');
    const expertPanel = fn('ExpertPanel', 'expert-panel');
    const aggregateScores = fn('AggregateScores', 'aggregate-scores');
    const checkObjections = fn('CheckObjections', 'check-objections');
    const certify = fn('Certify', 'certify');
    const recordProvinceDecision = fn('RecordProvinceDecision', 'record-province-decision');
    storage.bindCases(autoCheck, 'readWrite');
    storage.bindCases(openTask, 'readWrite');
    storage.bindCases(recordOutcome, 'readWrite');
    storage.bindCases(expertPanel, 'read');
    storage.bindCases(aggregateScores, 'readWrite');
    storage.bindScores(aggregateScores, 'readWrite');
    storage.bindCases(checkObjections, 'read');
    storage.bindCases(certify, 'readWrite');
    storage.bindCases(recordProvinceDecision, 'readWrite');
    const functions = {
      autoCheck,
      openTask,
      recordOutcome,
      expertPanel,
      aggregateScores,
      checkObjections,
      certify,
      recordProvinceDecision,
    };
    this.functions = Object.values(functions);
    this.publishers = { certify, recordProvinceDecision };

    const logs = new LogGroup(this, 'ExecutionLogs', {
      retention: RetentionDays.SIX_MONTHS,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.stateMachine = new StateMachine(this, 'CaseWorkflow', {
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromChainable(buildCaseWorkflow(this, functions)),
      tracingEnabled: true,
      // Execution data stays out of the logs: payloads are ids, but nothing personal may ever leak.
      logs: { destination: logs, level: LogLevel.ALL, includeExecutionData: false },
    });
  }
}
