import type { CfnResource } from 'aws-cdk-lib';
import { Stack, Validations } from 'aws-cdk-lib';
import type { Construct, IConstruct } from 'constructs';
import type { LaowuStack } from './laowu-stack';

/**
 * The cdk-nag findings (AwsSolutions and Serverless packs) Laowu accepts, each with its reason.
 * Anything not acknowledged here fails synth and the nag test.
 */
export function acknowledgeNagFindings(stack: LaowuStack): void {
  const logicalId = (construct: IConstruct) =>
    Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnResource);
  const ack = (scope: Construct, id: string, reason: string) =>
    Validations.of(scope).acknowledge({ id, reason });

  ack(
    stack,
    'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    'The AWS-managed basic execution role only lets a function (ours, or CDK’s bucket-notification helper) write its own logs.',
  );

  const functions = [
    ...stack.workflow.functions,
    ...Object.values(stack.api.functions),
    stack.intake.evidenceIntake,
  ];
  for (const fn of functions) {
    ack(
      fn,
      'AwsSolutions::AwsSolutions-L1',
      'Node.js 22 is pinned on purpose: the local runtime, the SDK and aws-local-stepfunctions run on 22, so what is tested is what runs.',
    );
    ack(
      fn,
      'Serverless::Serverless-LambdaLatestVersion',
      'Same as AwsSolutions-L1: nodejs22.x is pinned for parity with the tested runtime.',
    );
    ack(
      fn,
      'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      'X-Ray PutTraceSegments/PutTelemetryRecords (active tracing) and, where a function completes workflow tasks, states:SendTask* accept no resource-level permissions.',
    );
    ack(
      fn,
      'AwsSolutions::AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
      'CDK KMS grant on the one data key: the wildcard spans GenerateDataKey variants of that key only.',
    );
    ack(
      fn,
      'AwsSolutions::AwsSolutions-IAM5[Action::kms:ReEncrypt*]',
      'CDK KMS grant on the one data key: the wildcard spans ReEncrypt variants of that key only.',
    );
    ack(
      fn,
      `AwsSolutions::AwsSolutions-IAM5[Resource::<${logicalId(stack.storage.cases)}.Arn>/index/*]`,
      'Queries use the cases table’s own secondary indexes; the wildcard covers only that table’s indexes.',
    );
    ack(
      fn,
      `AwsSolutions::AwsSolutions-IAM5[Resource::<${logicalId(stack.storage.scores)}.Arn>/index/*]`,
      'Queries use the scores table’s own secondary indexes; the wildcard covers only that table’s indexes.',
    );
  }

  for (const fn of [...stack.workflow.functions, ...Object.values(stack.api.functions)]) {
    ack(
      fn,
      'Serverless::Serverless-LambdaDLQ',
      'Invoked synchronously (API Gateway or Step Functions): failures return to the caller, which retries; a DLQ would never receive anything.',
    );
  }
  ack(
    stack.intake.evidenceIntake,
    'Serverless::Serverless-LambdaDLQ',
    'Asynchronous S3 invocations that still fail after retries go to an on-failure SQS destination (richer than a DLQ: it keeps the error).',
  );

  const evidenceObjects = `AwsSolutions::AwsSolutions-IAM5[Resource::<${logicalId(stack.storage.evidence)}.Arn>/*]`;
  for (const fn of [stack.intake.evidenceIntake, stack.api.functions['cases-api']]) {
    ack(
      fn,
      evidenceObjects,
      'Evidence objects are keyed per case under generated keys; access is object-level inside the one evidence bucket.',
    );
  }
  for (const action of ['s3:Abort*', 's3:List*', 's3:GetObject*', 's3:GetBucket*', 's3:DeleteObject*']) {
    ack(
      stack.intake.evidenceIntake,
      `AwsSolutions::AwsSolutions-IAM5[Action::${action}]`,
      'CDK read/write grant action groups on the evidence bucket: intake reads, quarantines and deletes refused uploads.',
    );
  }
  ack(
    stack.api.functions['cases-api'],
    'AwsSolutions::AwsSolutions-IAM5[Action::s3:Abort*]',
    'CDK put grant on the evidence bucket includes aborting multipart uploads.',
  );

  // Publishing: exports and certificate documents live under their own prefixes, outside the intake
  // prefix; each grant is s3:PutObject/GetObject on one prefix, and the wildcard spans its generated keys.
  const objectsUnder = (prefix: string) =>
    `AwsSolutions::AwsSolutions-IAM5[Resource::<${logicalId(stack.storage.evidence)}.Arn>/${prefix}*]`;
  const { certify, recordProvinceDecision } = stack.workflow.publishers;
  for (const fn of [certify, recordProvinceDecision]) {
    ack(
      fn,
      objectsUnder('exports/'),
      'Writes the certified feed’s export snapshot (exports/{round}/certified-feed.{json,csv,xlsx}) and nothing else of the bucket: PutObject under exports/ only.',
    );
  }
  ack(
    certify,
    objectsUnder('certificates/'),
    'Writes each certificate document (certificates/{round}/{certificateNo}.svg): PutObject under certificates/ only.',
  );
  ack(
    stack.api.functions['cases-api'],
    objectsUnder('certificates/'),
    'Serves a certificate document to its owner and staff in scope: GetObject under certificates/ only.',
  );
  ack(
    stack.api.functions['cases-api'],
    objectsUnder('reports/rosters/'),
    'Presigns the roster error report download for the owner and staff in scope: GetObject under reports/rosters/ only.',
  );

  for (const fn of stack.workflow.functions) {
    ack(
      stack.workflow.stateMachine,
      `AwsSolutions::AwsSolutions-IAM5[Resource::<${logicalId(fn)}.Arn>:*]`,
      'The state machine invokes its own functions; the suffix wildcard covers their versions and aliases.',
    );
  }
  ack(
    stack.workflow.stateMachine,
    'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
    'X-Ray tracing and CloudWatch Logs delivery actions accept no resource-level permissions.',
  );

  ack(
    stack.intake.deadLetters,
    'AwsSolutions::AwsSolutions-SQS3',
    'This queue is itself the failure destination of evidence intake.',
  );
  ack(
    stack.intake.deadLetters,
    'Serverless::Serverless-SQSRedrivePolicy',
    'This queue is itself the failure destination of evidence intake.',
  );

  ack(
    stack.storage.personKeySecret,
    'AwsSolutions::AwsSolutions-SMG4',
    'The person-index HMAC key is not rotated on a schedule: every claim of a round is keyed by it, so a rotation would silently stop cross-case duplicates from matching. It never leaves Secrets Manager and the evidence-intake role.',
  );

  for (const route of stack.api.publicRoutes) {
    ack(
      route,
      'AwsSolutions::AwsSolutions-APIG4',
      'A public route of the API contract (round information, publicity, objections, certificate verification).',
    );
  }

  acknowledgeConsoleFindings(stack, ack);
}

/** The web console's static site (infra/constructs/console.ts) and CDK's deployment helper for it. */
function acknowledgeConsoleFindings(
  stack: LaowuStack,
  ack: (scope: Construct, id: string, reason: string) => void,
) {
  const distribution = stack.console.distribution;
  ack(
    distribution,
    'AwsSolutions::AwsSolutions-CFR1',
    'The console is the public face of the call: the publicity list, objections and certificate verification must be reachable from anywhere, so no country is blocked.',
  );
  ack(
    distribution,
    'AwsSolutions::AwsSolutions-CFR2',
    'The distribution serves static files only; every request that changes something goes to the HTTP API, which has its own throttling. WAF (not offered for CloudFront in the China regions) can be attached per deployment.',
  );
  ack(
    distribution,
    'AwsSolutions::AwsSolutions-CFR4',
    'Without a custom domain CloudFront’s default certificate is used, whose TLS policy cannot be set; the distribution sets TLSv1.2_2021 for when a custom domain and certificate are added.',
  );

  // CDK's BucketDeployment singleton (a Python function CDK writes and versions itself).
  const deployer = stack.node.children.find((child) =>
    child.node.id.startsWith('Custom::CDKBucketDeployment'),
  );
  if (!deployer) return;
  const reasons: [string, string][] = [
    [
      'AwsSolutions::AwsSolutions-L1',
      'CDK’s BucketDeployment handler: its runtime is chosen and upgraded with aws-cdk-lib.',
    ],
    [
      'Serverless::Serverless-LambdaLatestVersion',
      'CDK’s BucketDeployment handler: its runtime is chosen and upgraded with aws-cdk-lib.',
    ],
    [
      'Serverless::Serverless-LambdaDLQ',
      'Invoked synchronously by CloudFormation as a custom resource: a failure fails the deployment, there is no event to keep.',
    ],
    [
      'Serverless::Serverless-LambdaTracing',
      'Runs only during deployments, copying the console’s files; CloudFormation reports its failures.',
    ],
    [
      'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      'CloudFront CreateInvalidation and GetInvalidation accept no resource-level permissions.',
    ],
    [
      'AwsSolutions::AwsSolutions-IAM5[Action::s3:GetObject*]',
      'CDK grant: reads the console’s asset from the bootstrap bucket and writes it to the site bucket.',
    ],
    [
      'AwsSolutions::AwsSolutions-IAM5[Action::s3:GetBucket*]',
      'CDK grant on the bootstrap and site buckets only.',
    ],
    [
      'AwsSolutions::AwsSolutions-IAM5[Action::s3:List*]',
      'CDK grant: lists the site bucket to prune files of the previous build.',
    ],
    [
      'AwsSolutions::AwsSolutions-IAM5[Action::s3:DeleteObject*]',
      'CDK grant: removes files of the previous build from the site bucket only.',
    ],
    [
      'AwsSolutions::AwsSolutions-IAM5[Action::s3:Abort*]',
      'CDK grant: aborts its own multipart uploads to the site bucket.',
    ],
    [
      `AwsSolutions::AwsSolutions-IAM5[Resource::<${Stack.of(stack).getLogicalId(stack.console.bucket.node.defaultChild as CfnResource)}.Arn>/*]`,
      'The site bucket’s objects: the deployment replaces the whole built console.',
    ],
    [
      'AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]',
      'The CDK bootstrap bucket’s assets, where the built console is staged.',
    ],
  ];
  for (const [id, reason] of reasons) ack(deployer, id, reason);
}
