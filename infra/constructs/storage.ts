import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  HttpMethods,
  type IBucket,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { IndexDefinition } from '#shared/store/keys';
import { CASES_INDEXES, SCORES_INDEXES } from '#shared/store/keys';
import type { LaowuFunction } from '../laowu-function';

export interface StorageProps {
  /** Origins allowed to post uploads from a browser (the console's origin). */
  readonly uploadOrigins: string[];
  /** Production stacks keep data when the stack goes and refuse table deletion. */
  readonly retainData: boolean;
}

/**
 * Where Laowu keeps its state: the `cases` and `scores` tables and the evidence bucket, all encrypted
 * with one customer-managed key. Consumers get access through the `grant*`/`bind*` methods, which
 * also set the environment variable the function reads, so a grant and its config never drift.
 */
export class Storage extends Construct {
  readonly key: Key;
  readonly cases: Table;
  readonly scores: Table;
  readonly evidence: IBucket;

  constructor(scope: Construct, id: string, props: StorageProps) {
    super(scope, id);
    const removalPolicy = props.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.key = new Key(this, 'DataKey', {
      description: 'Laowu data: cases, scores, evidence',
      enableKeyRotation: true,
      removalPolicy,
    });

    const tableDefaults = {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: props.retainData,
      timeToLiveAttribute: 'expiresAt',
      removalPolicy,
    };

    this.cases = new Table(this, 'Cases', tableDefaults);
    this.scores = new Table(this, 'Scores', tableDefaults);
    addIndexes(this.cases, CASES_INDEXES);
    addIndexes(this.scores, SCORES_INDEXES);

    const accessLogs = new Bucket(this, 'EvidenceAccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(400) }],
      removalPolicy,
    });

    this.evidence = new Bucket(this, 'Evidence', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      enforceSSL: true,
      versioned: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'evidence/',
      cors: [
        {
          // Browsers post files straight to S3 with a presigned POST; nothing else crosses origins.
          allowedMethods: [HttpMethods.POST],
          allowedOrigins: props.uploadOrigins,
          allowedHeaders: ['*'],
          maxAge: 3000,
        },
      ],
      lifecycleRules: [
        { abortIncompleteMultipartUploadAfter: Duration.days(1) },
        // Superseded evidence stays recoverable for a year, then goes.
        { noncurrentVersionExpiration: Duration.days(365) },
        { prefix: 'quarantine/', expiration: Duration.days(90) },
      ],
      removalPolicy,
    });
  }

  /** Cases table access without `Scan`; sets `CASES_TABLE`. */
  bindCases(fn: LaowuFunction, mode: 'read' | 'readWrite') {
    fn.addEnvironment('CASES_TABLE', this.cases.tableName);
    grantTable(this.cases, this.key, fn, mode);
  }

  /** Scores table access without `Scan`; sets `SCORES_TABLE`. */
  bindScores(fn: LaowuFunction, mode: 'read' | 'readWrite') {
    fn.addEnvironment('SCORES_TABLE', this.scores.tableName);
    grantTable(this.scores, this.key, fn, mode);
  }

  /** Evidence objects; sets `EVIDENCE_BUCKET`. */
  bindEvidence(fn: LaowuFunction, mode: 'read' | 'readWrite' | 'put') {
    fn.addEnvironment('EVIDENCE_BUCKET', this.evidence.bucketName);
    if (mode === 'read') this.evidence.grantRead(fn);
    else if (mode === 'put') this.evidence.grantPut(fn);
    else this.evidence.grantReadWrite(fn);
  }
}

function addIndexes(table: Table, indexes: readonly IndexDefinition[]) {
  for (const index of indexes) {
    table.addGlobalSecondaryIndex({
      indexName: index.name,
      partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
      sortKey: {
        name: index.sortKey,
        type: index.sortKeyType === 'N' ? AttributeType.NUMBER : AttributeType.STRING,
      },
    });
  }
}

// No request path may Scan: every read is a key lookup or an index query (DESIGN §3).
const TABLE_READ_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:ConditionCheckItem',
];
const TABLE_WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
];

function grantTable(table: Table, key: Key, fn: LaowuFunction, mode: 'read' | 'readWrite') {
  const actions = mode === 'read' ? TABLE_READ_ACTIONS : [...TABLE_READ_ACTIONS, ...TABLE_WRITE_ACTIONS];
  table.grant(fn, ...actions);
  if (mode === 'read') key.grantDecrypt(fn);
  else key.grantEncryptDecrypt(fn);
}
