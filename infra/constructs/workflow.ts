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

  constructor(scope: Construct, id: string, props: { storage: Storage }) {
    super(scope, id);
    const { storage } = props;

    const autoCheck = new LaowuFunction(this, 'AutoCheck', { functionName: 'auto-check' });
    const openTask = new LaowuFunction(this, 'OpenTask', { functionName: 'open-task' });
    const recordOutcome = new LaowuFunction(this, 'RecordOutcome', { functionName: 'record-outcome' });
    storage.bindCases(autoCheck, 'readWrite');
    storage.bindCases(openTask, 'readWrite');
    storage.bindCases(recordOutcome, 'readWrite');
    this.functions = [autoCheck, openTask, recordOutcome];

    const logs = new LogGroup(this, 'ExecutionLogs', {
      retention: RetentionDays.SIX_MONTHS,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.stateMachine = new StateMachine(this, 'CaseWorkflow', {
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromChainable(
        buildCaseWorkflow(this, { autoCheck, openTask, recordOutcome }),
      ),
      tracingEnabled: true,
      // Execution data stays out of the logs: payloads are ids, but nothing personal may ever leak.
      logs: { destination: logs, level: LogLevel.ALL, includeExecutionData: false },
    });
  }
}
