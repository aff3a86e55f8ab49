import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { Api } from './constructs/api';
import { Console } from './constructs/console';
import { Intake } from './constructs/intake';
import { Storage } from './constructs/storage';
import { Workflow } from './constructs/workflow';
import { acknowledgeNagFindings } from './nag';

export interface LaowuStackProps extends StackProps {
  readonly issuer: string;
  readonly audience: string[];
  /** Browser origins of the console (CORS on the API and on evidence uploads). */
  readonly allowedOrigins: string[];
  readonly retainData: boolean;
}

/** The whole of Laowu in one stack, composed of domain constructs that own their resources. */
export class LaowuStack extends Stack {
  readonly storage: Storage;
  readonly intake: Intake;
  readonly workflow: Workflow;
  readonly api: Api;
  readonly console: Console;

  constructor(scope: Construct, id: string, props: LaowuStackProps) {
    super(scope, id, props);
    this.storage = new Storage(this, 'Storage', {
      uploadOrigins: props.allowedOrigins,
      retainData: props.retainData,
    });
    this.intake = new Intake(this, 'Intake', { storage: this.storage });
    this.workflow = new Workflow(this, 'Workflow', { storage: this.storage });
    this.api = new Api(this, 'Api', {
      storage: this.storage,
      stateMachine: this.workflow.stateMachine,
      issuer: props.issuer,
      audience: props.audience,
      allowedOrigins: props.allowedOrigins,
      publishers: this.workflow.publishers,
    });

    // The console's sign-in client at the OIDC provider: context `consoleClientId` (default laowu-console).
    this.console = new Console(this, 'Console', {
      apiUrl: this.api.url,
      uploadOrigin: this.storage.evidence.bucketRegionalDomainName,
      issuer: props.issuer,
      clientId: String(this.node.tryGetContext('consoleClientId') ?? 'laowu-console'),
      roundId: String(this.node.tryGetContext('consoleRound') ?? '2021'),
    });

    new CfnOutput(this, 'ApiUrl', { value: this.api.url });
    new CfnOutput(this, 'ConsoleUrl', { value: this.console.url });
    new CfnOutput(this, 'EvidenceBucketName', { value: this.storage.evidence.bucketName });
    new CfnOutput(this, 'StateMachineArn', { value: this.workflow.stateMachine.stateMachineArn });

    acknowledgeNagFindings(this);
  }
}
