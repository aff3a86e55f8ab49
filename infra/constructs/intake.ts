import { Duration, Size } from 'aws-cdk-lib';
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

    // Sized for rosters (bench/README.md, one core): a 1M-row CSV verifies in ~1.5 s (~3 s with
    // person keys) in < 128 MB, a 1M-row XLSX in ~25 s in ~215 MB. 1,769 MB is one full vCPU (the
    // parser is single-threaded, more memory buys no speed). The timeout leaves room for the person
    // index (one transactional write per 100 distinct people, 8 at a time) of the largest roster; the
    // error report is spooled to /tmp before its upload.
    this.evidenceIntake = new LaowuFunction(this, 'EvidenceIntake', {
      functionName: 'evidence-intake',
      memorySize: 1769,
      timeout: Duration.minutes(15),
      ephemeralStorageSize: Size.gibibytes(2),
      onFailure: new SqsDestination(this.deadLetters),
      retryAttempts: 2,
    });
    storage.bindCases(this.evidenceIntake, 'readWrite');
    storage.bindEvidence(this.evidenceIntake, 'readWrite');
    storage.bindPersonKey(this.evidenceIntake);

    storage.evidence.addEventNotification(
      EventType.OBJECT_CREATED,
      new LambdaDestination(this.evidenceIntake),
      {
        prefix: EVIDENCE_UPLOAD_PREFIX,
      },
    );
  }
}
