import fs from 'node:fs';
import path from 'node:path';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startApiRouter } from './api-router';
import { SimulatedClock } from './clock';
import type { ConsoleHandler } from './console';
import { ensureTables, localDynamoDbClient, startDynamoDbLocal } from './dynamodb-local';
import { FunctionRunner } from './functions';
import { createLocalIssuer } from './issuer';
import { matchesNotification, startS3Local } from './s3-local';
import { startSecretsManagerLocal } from './secrets-manager';
import { startLocalStepFunctions } from './stepfunctions/index';
import { type CfnTemplate, type LocalTopology, loadLocalTopology } from './template';

/**
 * The local cloud: the synthesized template, run unchanged on one machine. DynamoDB Local gets
 * the template's tables, s3rver its buckets, the local Step Functions service its state machine
 * definition, and the router its HTTP API routes; each function runs its own entry with its own
 * environment, reaching the services through the standard `AWS_ENDPOINT_URL_<SERVICE>` variables.
 */
export interface LocalCloudOptions {
  template: CfnTemplate;
  /** Absolute data folder (`.data/`): DynamoDB, S3 objects, the issuer key, the clock. */
  dataDir: string;
  port: number;
  host?: string;
  /** Keep DynamoDB in memory (tests); the folder still holds objects, key and clock. */
  inMemory?: boolean;
  /** Serves the built web console beside the API (`local/console.ts`). */
  console?: ConsoleHandler;
  log?(line: string): void;
}

export interface LocalCloud {
  url: string;
  topology: LocalTopology;
  endpoints: { dynamodb: string; s3: string; stepfunctions: string; secretsmanager: string };
  clock: SimulatedClock;
  /** Invokes a function of the template synchronously, as `aws lambda invoke` would (tests, operators). */
  invoke(functionArnOrName: string, payload: unknown): Promise<unknown>;
  stop(): Promise<void>;
}

const STEP_FUNCTIONS_TABLE = 'laowu-local-stepfunctions';
// s3rver accepts only its own well-known key pair; DynamoDB Local and our services accept any.
const LOCAL_CREDENTIALS = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' };

export async function startLocalCloud(options: LocalCloudOptions): Promise<LocalCloud> {
  const log = options.log ?? (() => undefined);
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((error) => log(`stop failed: ${String(error)}`));
  };

  try {
    fs.mkdirSync(options.dataDir, { recursive: true });
    const topology = loadLocalTopology(options.template);
    const clock = new SimulatedClock(path.join(options.dataDir, 'clock.json'));
    let healthy = false;

    const dynamo = await startDynamoDbLocal(
      options.inMemory ? {} : { dataDir: path.join(options.dataDir, 'dynamodb') },
    );
    stops.push(() => dynamo.stop());
    const dynamoClient = localDynamoDbClient(dynamo.endpoint, topology.region);
    stops.push(async () => dynamoClient.destroy());
    await ensureTables(dynamoClient, Object.values(topology.tables));

    // The services' endpoints and local credentials, as a deployed function gets them from AWS.
    const serviceEnvironment: Record<string, string> = {
      ...LOCAL_CREDENTIALS,
      AWS_REGION: topology.region,
      AWS_DEFAULT_REGION: topology.region,
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      // s3rver stores aws-chunked framing verbatim: ask the SDK for plain bodies.
      AWS_REQUEST_CHECKSUM_CALCULATION: 'when_required',
      AWS_RESPONSE_CHECKSUM_VALIDATION: 'when_required',
    };
    // The template's secrets; generated values are kept under the data folder like every other state.
    const secrets = await startSecretsManagerLocal({
      secrets: Object.values(topology.secrets),
      file: path.join(options.dataDir, 'secrets.json'),
    });
    stops.push(() => secrets.stop());
    serviceEnvironment.AWS_ENDPOINT_URL_SECRETS_MANAGER = secrets.endpoint;

    const runner = new FunctionRunner(topology, serviceEnvironment, () => clock.offset);
    stops.push(() => runner.stop());

    const buckets = Object.values(topology.buckets);
    const s3 = await startS3Local({
      dataDir: path.join(options.dataDir, 's3'),
      buckets: buckets.map((bucket) => ({ name: bucket.name, cors: bucket.cors })),
      region: topology.region,
      onObjectCreated: (record) => {
        const bucket = buckets.find((b) => b.name === record.s3.bucket.name);
        for (const notification of bucket?.notifications ?? []) {
          if (matchesNotification(notification, record)) {
            void invokeAsync(runner, notification.functionArn, { Records: [record] }, log);
          }
        }
      },
    });
    stops.push(() => s3.stop());
    serviceEnvironment.AWS_ENDPOINT_URL_S3 = s3.endpoint;

    const machines = Object.values(topology.stateMachines);
    const machine = machines[0];
    if (!machine || machines.length > 1)
      throw new Error(`expected one state machine in the template, found ${machines.length}`);
    const stepFunctions = await startLocalStepFunctions({
      definition: machine.definition,
      stateMachineArn: machine.arn,
      invokeFunction: (arn, payload) => runner.invoke(arn, payload),
      functionArns: Object.values(topology.functions).map((fn) => fn.arn),
      dynamo: DynamoDBDocumentClient.from(dynamoClient, { marshallOptions: { removeUndefinedValues: true } }),
      table: STEP_FUNCTIONS_TABLE,
      clock,
      onError: (error, context) => log(`step functions: ${context}: ${String(error)}`),
    });
    stops.push(() => stepFunctions.stop());
    serviceEnvironment.AWS_ENDPOINT_URL_SFN = stepFunctions.endpoint;

    const api = topology.api;
    if (!api?.jwt) throw new Error('the template has no HTTP API with a JWT authorizer');
    const issuer = await createLocalIssuer({
      issuer: api.jwt.issuer,
      audience: api.jwt.audience,
      keyFile: path.join(options.dataDir, 'issuer-key.json'),
    });
    const router = await startApiRouter({
      api,
      runner,
      issuer,
      clock,
      isHealthy: () => healthy,
      port: options.port,
      ...(options.host ? { host: options.host } : {}),
      ...(options.console ? { console: options.console } : {}),
    });
    stops.push(() => router.stop());
    healthy = true;

    return {
      url: router.url,
      topology,
      endpoints: {
        dynamodb: dynamo.endpoint,
        s3: s3.endpoint,
        stepfunctions: stepFunctions.endpoint,
        secretsmanager: secrets.endpoint,
      },
      clock,
      invoke: (fn, payload) => runner.invoke(fn, payload),
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/**
 * S3 invokes its notification target asynchronously: Lambda retries a failed event twice, then
 * hands it to the function's on-failure destination (here: the log).
 */
async function invokeAsync(runner: FunctionRunner, arn: string, event: unknown, log: (line: string) => void) {
  const fn = runner.byArn(arn);
  const attempts = 1 + (fn?.asyncInvoke?.maximumRetryAttempts ?? 2);
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      await runner.invoke(arn, event);
      return;
    } catch (error) {
      if (attempt === attempts)
        log(`async invocation of ${fn?.name ?? arn} failed after ${attempts} attempts: ${String(error)}`);
    }
  }
}
