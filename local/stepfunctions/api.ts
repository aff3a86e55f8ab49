import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { z } from 'zod';
import type { Engine } from './engine';
import { SfnApiError } from './errors';
import type { ExecutionStore, HistoryEvent } from './store';

/**
 * The AWS JSON 1.0 protocol of Step Functions: `POST /` with `X-Amz-Target: AWSStepFunctions.<Op>`,
 * JSON in and out, timestamps as epoch seconds, errors as `{ "__type", "message" }` with HTTP 400,
 * so the real `@aws-sdk/client-sfn` works against it unchanged.
 */
const TARGET_PREFIX = 'AWSStepFunctions.';
const MAX_BODY = 2 * 1024 * 1024;
const MAX_PAYLOAD = 262_144;

const Arn = z.string().min(1).max(2048);
const requests = {
  StartExecution: z.object({
    stateMachineArn: Arn,
    name: z.string().optional(),
    input: z.string().optional(),
    traceHeader: z.string().optional(),
  }),
  DescribeExecution: z.object({ executionArn: Arn }),
  GetExecutionHistory: z.object({
    executionArn: Arn,
    maxResults: z.number().int().min(0).max(1000).optional(),
    reverseOrder: z.boolean().optional(),
    nextToken: z.string().max(3096).optional(),
    includeExecutionData: z.boolean().optional(),
  }),
  ListExecutions: z.object({
    stateMachineArn: Arn.optional(),
    statusFilter: z
      .enum(['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE'])
      .optional(),
    maxResults: z.number().int().min(0).max(1000).optional(),
    nextToken: z.string().max(3096).optional(),
  }),
  StopExecution: z.object({
    executionArn: Arn,
    error: z.string().max(256).optional(),
    cause: z.string().max(32768).optional(),
  }),
  SendTaskSuccess: z.object({ taskToken: z.string().min(1).max(2048), output: z.string().max(MAX_PAYLOAD) }),
  SendTaskFailure: z.object({
    taskToken: z.string().min(1).max(2048),
    error: z.string().max(256).optional(),
    cause: z.string().max(32768).optional(),
  }),
  SendTaskHeartbeat: z.object({ taskToken: z.string().min(1).max(2048) }),
  DescribeStateMachine: z.object({ stateMachineArn: Arn }),
  ListStateMachines: z.object({}).loose(),
};
type Operation = keyof typeof requests;

/** AWS execution names: 1–80 characters, no whitespace, brackets, wildcards or special characters. */
const EXECUTION_NAME = /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/]{1,80}$/;
const isValidName = (name: string) =>
  EXECUTION_NAME.test(name) &&
  ![...name].some((c) => c.charCodeAt(0) < 0x20 || (c.charCodeAt(0) >= 0x7f && c.charCodeAt(0) <= 0x9f));

export interface ApiContext {
  engine: Engine;
  store: ExecutionStore;
  stateMachineArn: string;
  createdAt: number;
}

const seconds = (ms: number) => ms / 1000;

export function createApiServer(context: ApiContext): { server: Server; idle(): Promise<void> } {
  const inFlight = new Set<Promise<void>>();
  const server = createServer((request, response) => {
    const handling = handle(context, request, response).finally(() => inFlight.delete(handling));
    inFlight.add(handling);
  });
  return {
    server,
    idle: async () => {
      await Promise.allSettled([...inFlight]);
    },
  };
}

async function handle(
  context: ApiContext,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  try {
    const target = String(request.headers['x-amz-target'] ?? '');
    if (request.method !== 'POST' || !target.startsWith(TARGET_PREFIX)) {
      throw new SfnApiError('UnknownOperationException', `Unknown operation ${target || request.method}`);
    }
    const operation = target.slice(TARGET_PREFIX.length);
    if (!(operation in requests))
      throw new SfnApiError('UnknownOperationException', `Unknown operation ${operation}`);
    const body = await readJson(request);
    const result = await dispatch(context, operation as Operation, body);
    send(response, 200, result);
  } catch (error) {
    if (error instanceof SfnApiError) {
      send(response, error.status, { __type: error.code, message: error.message }, error.code);
    } else {
      send(response, 500, { __type: 'InternalFailure', message: 'Internal error' }, 'InternalFailure');
      context.engine.reportError(error, 'handling an API request');
    }
  }
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_BODY) throw new SfnApiError('SerializationException', 'Request body too large');
    chunks.push(buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new SfnApiError('SerializationException', 'Request body is not valid JSON');
  }
}

function send(response: ServerResponse, status: number, body: unknown, errorType?: string): void {
  if (response.headersSent || response.destroyed) return;
  const json = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/x-amz-json-1.0',
    'content-length': Buffer.byteLength(json),
    'x-amzn-requestid': randomUUID(),
    ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
  });
  response.end(json);
}

function parse<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const result = schema.safeParse(body);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new SfnApiError(
      'ValidationException',
      `${issue?.path.join('.') || 'request'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return result.data;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function checkExecutionArn(arn: string): void {
  if (!/^arn:[^:]+:states:[^:]*:[^:]*:execution:[^:]+:[^:]+$/.test(arn)) {
    throw new SfnApiError('InvalidArn', `Invalid Arn: '${arn}'`);
  }
}

function checkStateMachine(context: ApiContext, arn: string): void {
  if (!/^arn:[^:]+:states:[^:]*:[^:]*:stateMachine:[^:]+$/.test(arn)) {
    throw new SfnApiError('InvalidArn', `Invalid Arn: '${arn}'`);
  }
  if (arn !== context.stateMachineArn) {
    throw new SfnApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
  }
}

async function dispatch(context: ApiContext, operation: Operation, body: unknown): Promise<unknown> {
  const { engine, store } = context;
  switch (operation) {
    case 'StartExecution': {
      const request = parse(requests.StartExecution, body);
      checkStateMachine(context, request.stateMachineArn);
      const name = request.name ?? randomUUID();
      if (!isValidName(name)) throw new SfnApiError('InvalidName', `Invalid Name: '${name}'`);
      const input = request.input ?? '{}';
      if (input.length > MAX_PAYLOAD || !isJson(input)) {
        throw new SfnApiError('InvalidExecutionInput', 'Invalid State Machine Execution Input');
      }
      const started = await engine.startExecution(name, input);
      return { executionArn: started.executionArn, startDate: seconds(started.startDate) };
    }
    case 'DescribeExecution': {
      const { executionArn } = parse(requests.DescribeExecution, body);
      checkExecutionArn(executionArn);
      const record = await store.getExecution(executionArn);
      if (!record)
        throw new SfnApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
      return {
        executionArn: record.executionArn,
        stateMachineArn: record.stateMachineArn,
        name: record.name,
        status: record.status,
        startDate: seconds(record.startDate),
        ...(record.stopDate === undefined ? {} : { stopDate: seconds(record.stopDate) }),
        input: record.input,
        inputDetails: { included: true },
        ...(record.output === undefined ? {} : { output: record.output, outputDetails: { included: true } }),
        ...(record.error === undefined ? {} : { error: record.error }),
        ...(record.cause === undefined ? {} : { cause: record.cause }),
        redriveCount: 0,
        redriveStatus: 'NOT_REDRIVABLE',
      };
    }
    case 'GetExecutionHistory': {
      const request = parse(requests.GetExecutionHistory, body);
      checkExecutionArn(request.executionArn);
      if (!(await store.getExecution(request.executionArn))) {
        throw new SfnApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${request.executionArn}'`);
      }
      const reverse = request.reverseOrder ?? false;
      const afterId =
        request.nextToken === undefined ? undefined : decodePageToken(request.nextToken, reverse);
      const limit = request.maxResults || 100;
      const page = await store.events(request.executionArn, { limit, reverse, afterId });
      const last = page.events.at(-1);
      return {
        events: page.events.map((event) => renderEvent(event, request.includeExecutionData ?? true)),
        ...(page.more && last ? { nextToken: encodePageToken(last.id, reverse) } : {}),
      };
    }
    case 'ListExecutions': {
      const request = parse(requests.ListExecutions, body);
      checkStateMachine(context, request.stateMachineArn ?? '');
      const all = (await store.listExecutions(context.stateMachineArn))
        .filter((listing) => !request.statusFilter || listing.status === request.statusFilter)
        .sort((a, b) => b.startDate - a.startDate || (a.executionArn < b.executionArn ? -1 : 1));
      const offset = request.nextToken === undefined ? 0 : decodePageToken(request.nextToken, false);
      const limit = request.maxResults || 100;
      const slice = all.slice(offset, offset + limit);
      return {
        executions: slice.map((listing) => ({
          executionArn: listing.executionArn,
          stateMachineArn: listing.stateMachineArn,
          name: listing.name,
          status: listing.status,
          startDate: seconds(listing.startDate),
          ...(listing.stopDate === undefined ? {} : { stopDate: seconds(listing.stopDate) }),
        })),
        ...(offset + limit < all.length ? { nextToken: encodePageToken(offset + limit, false) } : {}),
      };
    }
    case 'StopExecution': {
      const request = parse(requests.StopExecution, body);
      checkExecutionArn(request.executionArn);
      const { stopDate } = await engine.stopExecution(request.executionArn, request.error, request.cause);
      return { stopDate: seconds(stopDate) };
    }
    case 'SendTaskSuccess': {
      const request = parse(requests.SendTaskSuccess, body);
      if (!isJson(request.output))
        throw new SfnApiError('InvalidOutput', 'Invalid Output: the output is not JSON');
      await engine.sendTaskSuccess(request.taskToken, request.output);
      return {};
    }
    case 'SendTaskFailure': {
      const request = parse(requests.SendTaskFailure, body);
      await engine.sendTaskFailure(request.taskToken, request.error, request.cause);
      return {};
    }
    case 'SendTaskHeartbeat': {
      const request = parse(requests.SendTaskHeartbeat, body);
      await engine.sendTaskHeartbeat(request.taskToken);
      return {};
    }
    case 'DescribeStateMachine': {
      const request = parse(requests.DescribeStateMachine, body);
      checkStateMachine(context, request.stateMachineArn);
      return {
        stateMachineArn: context.stateMachineArn,
        name: context.stateMachineArn.split(':')[6],
        status: 'ACTIVE',
        definition: engine.definitionJson(),
        roleArn: engine.roleArn(),
        type: 'STANDARD',
        creationDate: seconds(context.createdAt),
      };
    }
    case 'ListStateMachines':
      return {
        stateMachines: [
          {
            stateMachineArn: context.stateMachineArn,
            name: context.stateMachineArn.split(':')[6],
            type: 'STANDARD',
            creationDate: seconds(context.createdAt),
          },
        ],
      };
  }
}

function renderEvent(event: HistoryEvent, includeData: boolean): Record<string, unknown> {
  const rendered: Record<string, unknown> = {
    timestamp: seconds(event.timestamp),
    type: event.type,
    id: event.id,
    previousEventId: event.id - 1,
  };
  if (event.detailsKey && event.details) {
    const details = includeData
      ? event.details
      : Object.fromEntries(
          Object.entries(event.details).filter(([key]) => !['input', 'output', 'parameters'].includes(key)),
        );
    rendered[event.detailsKey] = details;
  }
  return rendered;
}

function encodePageToken(position: number, reverse: boolean): string {
  return Buffer.from(JSON.stringify({ p: position, r: reverse })).toString('base64url');
}

const PageToken = z.object({ p: z.number().int().min(0), r: z.boolean() });

function decodePageToken(token: string, reverse: boolean): number {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  const page = PageToken.safeParse(decoded);
  if (!page.success || page.data.r !== reverse)
    throw new SfnApiError('InvalidToken', 'Invalid Token: bad nextToken');
  return page.data.p;
}
