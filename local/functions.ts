import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { LocalFunction, LocalTopology } from './template';

const WORKER_FILE = path.join(import.meta.dirname, 'function-worker.ts');

/** A Lambda-style failure: `name` is the error type Step Functions and callers match on. */
export class FunctionError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * Runs the template's functions locally, each in its own worker thread (started on first use)
 * with exactly the environment the template gives it plus the service endpoints — the same
 * isolation a Lambda function has, so two functions never share configuration or module state.
 */
export class FunctionRunner {
  private readonly workers = new Map<string, { worker: Worker; pending: Map<number, Pending> }>();
  private nextId = 1;

  constructor(
    private readonly topology: LocalTopology,
    private readonly serviceEnvironment: Record<string, string>,
    private readonly clockOffset: () => number,
  ) {}

  byArn(arnOrName: string): LocalFunction | undefined {
    const unqualified = arnOrName.replace(/^(arn:[^:]+:lambda:[^:]+:[^:]+:function:[^:]+):[^:]+$/, '$1');
    return Object.values(this.topology.functions).find(
      (fn) => fn.arn === unqualified || fn.name === unqualified,
    );
  }

  /** Invokes a function synchronously (RequestResponse). Rejects with a `FunctionError`. */
  invoke(arnOrName: string, payload: unknown): Promise<unknown> {
    const fn = this.byArn(arnOrName);
    if (!fn)
      return Promise.reject(new FunctionError('ResourceNotFoundException', `no local function ${arnOrName}`));
    const slot = this.workerFor(fn);
    const id = this.nextId++;
    const timeoutMs = fn.timeoutSeconds * 1000;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        slot.pending.delete(id);
        reject(new FunctionError('Sandbox.Timedout', `${fn.name} timed out after ${fn.timeoutSeconds} s`));
      }, timeoutMs);
      slot.pending.set(id, { resolve, reject, timer });
      slot.worker.postMessage({ id, payload, clockOffsetMs: this.clockOffset(), timeoutMs });
    });
  }

  async stop(): Promise<void> {
    const all = [...this.workers.values()];
    this.workers.clear();
    for (const { pending } of all) {
      for (const call of pending.values()) {
        clearTimeout(call.timer);
        call.reject(new FunctionError('ServiceUnavailable', 'local cloud stopping'));
      }
    }
    await Promise.all(all.map(({ worker }) => worker.terminate()));
  }

  private workerFor(fn: LocalFunction) {
    const existing = this.workers.get(fn.name);
    if (existing) return existing;
    const pending = new Map<number, Pending>();
    const worker = new Worker(WORKER_FILE, {
      workerData: {
        entryFile: path.join(projectRootOf(), fn.entry),
        handlerExport: fn.handler,
        functionName: fn.name,
        memorySize: fn.memorySize,
      },
      env: {
        PATH: process.env.PATH ?? '',
        AWS_LAMBDA_FUNCTION_NAME: fn.name,
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize),
        ...this.serviceEnvironment,
        ...fn.environment,
        // Source maps come from tsx here; the deployed bundle's flag would only slow the worker.
        NODE_OPTIONS: '',
      },
      execArgv: ['--import', 'tsx'],
    });
    worker.on(
      'message',
      (message: { id: number; ok: boolean; result?: unknown; errorType?: string; errorMessage?: string }) => {
        const call = pending.get(message.id);
        if (!call) return;
        pending.delete(message.id);
        clearTimeout(call.timer);
        if (message.ok) call.resolve(message.result);
        else call.reject(new FunctionError(message.errorType ?? 'Error', message.errorMessage ?? ''));
      },
    );
    worker.on('error', (error) => {
      for (const call of pending.values()) {
        clearTimeout(call.timer);
        call.reject(new FunctionError('Runtime.ExitError', error.message));
      }
      pending.clear();
      this.workers.delete(fn.name);
    });
    worker.unref();
    const slot = { worker, pending };
    this.workers.set(fn.name, slot);
    return slot;
  }
}

function projectRootOf(): string {
  return path.resolve(import.meta.dirname, '..');
}
