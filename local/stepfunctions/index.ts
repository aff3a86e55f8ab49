import type { AddressInfo } from 'node:net';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createApiServer } from './api';
import { Engine } from './engine';
import { guardDefinition } from './guard';
import { DeadlineScheduler } from './scheduler';
import { ExecutionStore } from './store';

export { guardDefinition } from './guard';

export interface LocalStepFunctionsOptions {
  /** Plain ASL (JSONPath only), already resolved from the synthesized CDK template. */
  definition: object;
  stateMachineArn: string; // e.g. 'arn:aws:states:us-east-1:000000000000:stateMachine:CaseWorkflow'
  /** Invokes the Lambda function a Task names (the resolved `Parameters.FunctionName` of an
   *  `arn:<partition>:states:::lambda:invoke[.waitForTaskToken]` task, or a direct function ARN Resource).
   *  Returns the handler's result or throws an Error whose `name` is the Lambda error type. */
  invokeFunction(functionArn: string, payload: unknown): Promise<unknown>;
  /** Known function ARNs: the guard refuses a definition with a Task whose function is not here. */
  functionArns: string[];
  /** DynamoDB (DynamoDB Local) for durable executions, checkpoints and task tokens. */
  dynamo: DynamoDBDocumentClient;
  table: string; // created (pk/sk) if missing
  /** The simulated clock: `now()` in ms; `subscribe(cb)` is called when the clock is moved. */
  clock: { now(): number; subscribe(listener: () => void): () => void };
  port?: number; // 0 = ephemeral (the default)
  host?: string; // default 127.0.0.1
  /** Where background failures (a DynamoDB write, a resume) are reported. Default: console.error. */
  onError?(error: unknown, context: string): void;
}

export interface LocalStepFunctions {
  endpoint: string;
  stop(): Promise<void>;
}

/**
 * Starts the local Step Functions service: guards the definition, creates the table if missing,
 * resumes every RUNNING execution from its checkpoint, then serves the AWS JSON protocol.
 */
export async function startLocalStepFunctions(o: LocalStepFunctionsOptions): Promise<LocalStepFunctions> {
  guardDefinition(o.definition, o.functionArns);
  const onError =
    o.onError ??
    ((error: unknown, context: string) => console.error(`[local-stepfunctions] ${context}:`, error));
  const store = new ExecutionStore(o.dynamo, o.table);
  const scheduler = new DeadlineScheduler(o.clock);
  const engine = new Engine({
    stateMachineArn: o.stateMachineArn,
    definition: o.definition,
    invokeFunction: o.invokeFunction,
    functionArns: o.functionArns,
    store,
    clock: o.clock,
    scheduler,
    onError,
  });
  const { server, idle } = createApiServer({
    engine,
    store,
    stateMachineArn: o.stateMachineArn,
    createdAt: o.clock.now(),
  });
  try {
    await engine.init();
    await engine.resumeAll();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(o.port ?? 0, o.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await engine.close();
    scheduler.close();
    server.close();
    throw error;
  }
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let stopping: Promise<void> | undefined;
  return {
    endpoint: `http://${host}:${address.port}`,
    stop: () => {
      stopping ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await idle();
        await engine.close();
        scheduler.close();
        await closed;
      })();
      return stopping;
    },
  };
}
