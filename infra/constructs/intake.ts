import { Duration } from 'aws-cdk-lib';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { EventType } from 'aws-cdk-lib/aws-s3';
import { LambdaDestination } from 'aws-cdk-lib/aws-s3-notifications';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EVIDENCE_UPLOAD_PREFIX } from '#shared/evidence/keys';
import { LaowuFunction } from '../laowu-function';
import type { Storage } from './storage';

/**
 * Evidence intake: every object created under the upload prefix reaches `evidence-intake`, which
 * verifies it and records it on its case. S3 invokes asynchronously; an event that still fails after
 * Lambda's retries lands in a dead-letter queue instead of vanishing.
 */
export class Intake extends Construct {
  readonly evidenceIntake: LaowuFunction;
  readonly deadLetters: Queue;

  constructor(scope: Construct, id: string, props: { storage: Storage }) {
    super(scope, id);
    const { storage } = props;

    this.deadLetters = new Queue(this, 'IntakeDeadLetters', {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: storage.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });

    this.evidenceIntake = new LaowuFunction(this, 'EvidenceIntake', {
      functionName: 'evidence-intake',
      memorySize: 1024,
      timeout: Duration.minutes(5),
      onFailure: new SqsDestination(this.deadLetters),
      retryAttempts: 2,
    });
    storage.bindCases(this.evidenceIntake, 'readWrite');
    storage.bindEvidence(this.evidenceIntake, 'readWrite');

    storage.evidence.addEventNotification(
      EventType.OBJECT_CREATED,
      new LambdaDestination(this.evidenceIntake),
      {
        prefix: EVIDENCE_UPLOAD_PREFIX,
      },
    );
  }
}
