import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import { setClockSource } from '#shared/clock';

/**
 * One local Lambda function: a worker thread with the function's own environment (from the
 * template), its own module scope, and the simulated clock injected through `shared/clock`.
 */
interface WorkerInit {
  entryFile: string;
  handlerExport: string;
  functionName: string;
  memorySize: number;
}
interface InvokeMessage {
  id: number;
  payload: unknown;
  clockOffsetMs: number;
  timeoutMs: number;
}

const init = workerData as WorkerInit;
let clockOffsetMs = 0;
setClockSource(() => Date.now() + clockOffsetMs);

const loaded = import(pathToFileURL(path.resolve(init.entryFile)).href).then((module) => {
  const handler = module[init.handlerExport];
  if (typeof handler !== 'function')
    throw new Error(`${init.entryFile} exports no function ${init.handlerExport}`);
  return handler as (event: unknown, context: unknown) => Promise<unknown>;
});

parentPort?.on('message', async (message: InvokeMessage) => {
  clockOffsetMs = message.clockOffsetMs;
  const deadline = Date.now() + message.timeoutMs;
  const requestId = crypto.randomUUID();
  const context = {
    callbackWaitsForEmptyEventLoop: false,
    functionName: init.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${init.functionName}`,
    memoryLimitInMB: String(init.memorySize),
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${init.functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  try {
    const handler = await loaded;
    const result = await handler(message.payload, context);
    parentPort?.postMessage({ id: message.id, ok: true, result: result === undefined ? null : result });
  } catch (error) {
    const errorType = error instanceof Error ? error.name : 'Error';
    const errorMessage = error instanceof Error ? error.message : String(error);
    parentPort?.postMessage({ id: message.id, ok: false, errorType, errorMessage });
  }
});
