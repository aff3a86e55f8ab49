import { createHash, randomUUID } from 'node:crypto';
import type { StateMachine } from 'aws-local-stepfunctions';
import { isRecord, resolveFunctionArn, stableStringify } from './asl';
import {
  CONTEXT_INPUT,
  CONTEXT_START_TIME,
  deriveResumeDefinition,
  deriveRunnableDefinition,
  INJECTED_HEARTBEAT,
  INJECTED_TIMEOUT,
  type RunnableDefinition,
  type TaskSpec,
} from './derive';
import { ExecutionInterrupted, lambdaError, SfnApiError, StateError } from './errors';
import {
  type LibraryEvent,
  type LocalHandlers,
  libraryMachine,
  loadTimeoutErrorClass,
  timeoutError,
} from './library';
import type { DeadlineScheduler, SimulatedClock } from './scheduler';
import type {
  Checkpoint,
  ExecutionRecord,
  ExecutionStatus,
  ExecutionStore,
  HistoryEvent,
  TokenRecord,
  TokenStatus,
} from './store';
import { mintToken, parseToken } from './tokens';

/** AWS's payload limit between states (256 KiB). */
const MAX_PAYLOAD = 262_144;

export interface EngineOptions {
  stateMachineArn: string;
  definition: object;
  invokeFunction(functionArn: string, payload: unknown): Promise<unknown>;
  functionArns: string[];
  store: ExecutionStore;
  clock: SimulatedClock;
  scheduler: DeadlineScheduler;
  onError(error: unknown, context: string): void;
}

interface Compiled {
  hash: string;
  runnable: RunnableDefinition;
  machines: Map<string, StateMachine>;
}

type Interruption = { kind: 'stop' } | { kind: 'user'; error?: string; cause?: string } | { kind: 'timeout' };

interface ResumePoint {
  state: string;
  input: string;
  seq: number;
  enteredAt: number;
  /** The checkpointed state's StateEntered is already in the history. */
  skipEntered: boolean;
  waitEnteredUsed: boolean;
  /** Tokens minted during the checkpointed visit, oldest first: reused instead of calling again. */
  tokens: TokenRecord[];
}

/** Anything a run is waiting on: interrupted (rejected) when the execution stops. */
interface Interruptible {
  interrupt(): void;
}

interface Parked extends Interruptible {
  record: TokenRecord;
  run: Run;
  promise: Promise<unknown>;
  settled: boolean;
  settle(record: Pick<TokenRecord, 'status' | 'output' | 'error' | 'cause'>): void;
  rearmHeartbeat(at: number): void;
}

interface Run {
  record: ExecutionRecord;
  compiled: Compiled;
  abortLibrary: () => void;
  interrupted?: Interruption;
  /** Ordered persistence: queued writes are flushed in batches, one batch after the other. */
  chain: Promise<void>;
  pending: { events: HistoryEvent[]; checkpoint?: Checkpoint; tokens: TokenRecord[] };
  flushScheduled?: Promise<void>;
  nextEventId: number;
  /** Event id of the StateEntered of the current top-level state: the visit tokens belong to. */
  topSeq: number;
  resume?: ResumePoint;
  waiting: Set<Interruptible>;
  finished: Promise<void>;
}

type Outcome = { ok: true; output: unknown } | { ok: false; error: unknown };

/**
 * Runs executions of one state machine with aws-local-stepfunctions, every Task through a local
 * handler, and keeps them durable in DynamoDB: the execution, its history, a checkpoint per entered
 * top-level state, and every task token. See README.md in this folder.
 */
export class Engine {
  private readonly runs = new Map<string, Run>();
  private readonly parked = new Map<string, Parked>();
  private readonly compiled = new Map<string, Compiled>();
  private readonly tokenPlaceholder = `laowu-local-task-token-${randomUUID()}`;
  private current!: Compiled;
  private closing = false;

  constructor(private readonly o: EngineOptions) {}

  get region(): string {
    return this.o.stateMachineArn.split(':')[3] ?? 'us-east-1';
  }

  async init(): Promise<void> {
    await loadTimeoutErrorClass();
    await this.o.store.ensureTable();
    const definition = JSON.stringify(this.o.definition);
    const hash = createHash('sha256').update(definition).digest('hex');
    const runnable = deriveRunnableDefinition(this.o.definition);
    const machine = libraryMachine(runnable.definition, true);
    this.current = { hash, runnable, machines: new Map([[runnable.definition.StartAt, machine]]) };
    this.compiled.set(hash, this.current);
    await this.o.store.putDefinition(hash, definition);
  }

  /** Resumes every RUNNING execution of this state machine from its checkpoint. */
  async resumeAll(): Promise<void> {
    const listings = await this.o.store.listExecutions(this.o.stateMachineArn);
    await Promise.all(
      listings
        .filter((listing) => listing.status === 'RUNNING')
        .map((listing) =>
          this.resume(listing.executionArn).catch((error) =>
            this.o.onError(error, `resuming ${listing.executionArn}`),
          ),
        ),
    );
  }

  async close(): Promise<void> {
    this.closing = true;
    const runs = [...this.runs.values()];
    for (const run of runs) this.interrupt(run, { kind: 'stop' });
    await Promise.allSettled(runs.map((run) => run.finished));
  }

  reportError(error: unknown, context: string): void {
    this.o.onError(error, context);
  }

  // ---- API operations -------------------------------------------------------------------------

  executionArnFor(name: string): string {
    return `${this.o.stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
  }

  roleArn(): string {
    const [, partition = 'aws', , , account = '000000000000'] = this.o.stateMachineArn.split(':');
    return `arn:${partition}:iam::${account}:role/laowu-local-stepfunctions`;
  }

  definitionJson(): string {
    return JSON.stringify(this.o.definition);
  }

  async startExecution(name: string, input: string): Promise<{ executionArn: string; startDate: number }> {
    const executionArn = this.executionArnFor(name);
    const startDate = this.o.clock.now();
    const record: ExecutionRecord = {
      executionArn,
      stateMachineArn: this.o.stateMachineArn,
      name,
      input,
      status: 'RUNNING',
      startDate,
      definitionHash: this.current.hash,
    };
    const started: HistoryEvent = {
      id: 1,
      type: 'ExecutionStarted',
      timestamp: startDate,
      detailsKey: 'executionStartedEventDetails',
      details: { input, inputDetails: { truncated: false }, roleArn: this.roleArn() },
    };
    const existing = await this.o.store.createExecution(record, started);
    if (existing) {
      // AWS: the same name and input as a RUNNING execution returns it; anything else is a conflict.
      if (existing.status === 'RUNNING' && existing.input === input) {
        return { executionArn, startDate: existing.startDate };
      }
      throw new SfnApiError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    if (!this.closing) this.launch(record, this.current, 2);
    return { executionArn, startDate };
  }

  async stopExecution(executionArn: string, error?: string, cause?: string): Promise<{ stopDate: number }> {
    const record = await this.o.store.getExecution(executionArn);
    if (!record)
      throw new SfnApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
    if (record.status !== 'RUNNING') return { stopDate: record.stopDate ?? this.o.clock.now() };
    const run = this.runs.get(executionArn);
    if (run) {
      this.interrupt(run, { kind: 'user', error, cause });
      await run.finished;
    } else {
      const id = (await this.o.store.lastEventId(executionArn)) + 1;
      const now = this.o.clock.now();
      await this.o.store.closeExecution(
        record,
        { status: 'ABORTED', stopDate: now, error, cause },
        {
          id,
          type: 'ExecutionAborted',
          timestamp: now,
          detailsKey: 'executionAbortedEventDetails',
          details: { error, cause },
        },
      );
      await this.closePendingTokens(executionArn);
    }
    const closed = await this.o.store.getExecution(executionArn);
    return { stopDate: closed?.stopDate ?? this.o.clock.now() };
  }

  async sendTaskSuccess(token: string, output: string): Promise<void> {
    const { executionArn, id } = parseToken(token);
    if (!(await this.o.store.settleToken(executionArn, id, { status: 'SUCCEEDED', output }))) {
      throw await this.unsettled(executionArn, id);
    }
    this.parked.get(id)?.settle({ status: 'SUCCEEDED', output });
  }

  async sendTaskFailure(token: string, error?: string, cause?: string): Promise<void> {
    const { executionArn, id } = parseToken(token);
    if (!(await this.o.store.settleToken(executionArn, id, { status: 'FAILED', error, cause }))) {
      throw await this.unsettled(executionArn, id);
    }
    this.parked.get(id)?.settle({ status: 'FAILED', error, cause });
  }

  async sendTaskHeartbeat(token: string): Promise<void> {
    const { executionArn, id } = parseToken(token);
    const now = this.o.clock.now();
    if (!(await this.o.store.heartbeat(executionArn, id, now))) throw await this.unsettled(executionArn, id);
    this.parked.get(id)?.rearmHeartbeat(now);
  }

  /**
   * Why a well-formed token could not be settled, as AWS tells: a task that existed and is closed
   * (used, timed out, its execution ended) is `TaskTimedOut`; a token of no task is `TaskDoesNotExist`.
   */
  private async unsettled(executionArn: string, id: string): Promise<SfnApiError> {
    return (await this.o.store.getToken(executionArn, id))
      ? taskTimedOut()
      : new SfnApiError('TaskDoesNotExist', 'Task Does Not Exist: no task has this token');
  }

  // ---- running ----------------------------------------------------------------------------------

  private async resume(executionArn: string): Promise<void> {
    const record = await this.o.store.getExecution(executionArn);
    if (record?.status !== 'RUNNING' || this.runs.has(executionArn)) return;
    const compiled = await this.compiledFor(record.definitionHash);
    const nextEventId = (await this.o.store.lastEventId(executionArn)) + 1;
    const checkpoint = record.checkpoint;
    if (!checkpoint) {
      this.launch(record, compiled, nextEventId);
      return;
    }
    const tokens = (await this.o.store.listTokens(executionArn))
      .filter((token) => token.visitSeq === checkpoint.seq && token.status !== 'CLOSED')
      .sort((a, b) => (a.id < b.id ? -1 : 1));
    this.launch(record, compiled, nextEventId, {
      ...checkpoint,
      skipEntered: true,
      waitEnteredUsed: false,
      tokens,
    });
  }

  private async compiledFor(hash: string): Promise<Compiled> {
    const known = this.compiled.get(hash);
    if (known) return known;
    const stored = await this.o.store.getDefinition(hash);
    if (stored === undefined) throw new Error(`definition ${hash} is missing from the table`);
    const runnable = deriveRunnableDefinition(JSON.parse(stored));
    const compiled: Compiled = { hash, runnable, machines: new Map() };
    this.compiled.set(hash, compiled);
    return compiled;
  }

  private machineFor(compiled: Compiled, startAt: string): StateMachine {
    let machine = compiled.machines.get(startAt);
    if (!machine) {
      machine = libraryMachine(deriveResumeDefinition(compiled.runnable.definition, startAt), false);
      compiled.machines.set(startAt, machine);
    }
    return machine;
  }

  private launch(
    record: ExecutionRecord,
    compiled: Compiled,
    nextEventId: number,
    resume?: ResumePoint,
  ): void {
    const run: Run = {
      record,
      compiled,
      abortLibrary: () => {},
      chain: Promise.resolve(),
      pending: { events: [], tokens: [] },
      nextEventId,
      topSeq: resume?.seq ?? 0,
      resume,
      waiting: new Set(),
      finished: Promise.resolve(),
    };
    const machine = this.machineFor(compiled, resume?.state ?? compiled.runnable.definition.StartAt);
    this.runs.set(record.executionArn, run);
    const execution = machine.run(JSON.parse(resume?.input ?? record.input), {
      overrides: { taskResourceLocalHandlers: this.handlersFor(run) },
      noThrowOnAbort: true,
      context: this.contextFor(record),
    });
    run.abortLibrary = execution.abort;
    const consumed = this.consume(run, execution.eventLogs);
    const timeoutSeconds = compiled.runnable.executionTimeoutSeconds;
    const cancelTimeout =
      timeoutSeconds === undefined
        ? () => {}
        : this.o.scheduler.at(record.startDate + timeoutSeconds * 1000, () =>
            this.interrupt(run, { kind: 'timeout' }),
          );
    run.finished = execution.result
      .then(
        (output): Outcome => ({ ok: true, output }),
        (error): Outcome => ({ ok: false, error }),
      )
      .then(async (outcome) => {
        await consumed;
        await this.flush(run).catch(() => {});
        cancelTimeout();
        // Whatever still waits (e.g. Map iterations the library abandoned) must not hold timers.
        for (const waiting of run.waiting) waiting.interrupt();
        await this.finish(run, outcome);
      })
      .catch((error) => this.o.onError(error, `finishing ${record.executionArn}`))
      .finally(() => this.runs.delete(record.executionArn));
  }

  private contextFor(record: ExecutionRecord): Record<string, unknown> {
    const smName = this.o.stateMachineArn.split(':')[6] ?? '';
    return {
      Execution: {
        Id: record.executionArn,
        Name: record.name,
        RoleArn: this.roleArn(),
        RedriveCount: 0,
        [CONTEXT_INPUT]: JSON.parse(record.input),
        [CONTEXT_START_TIME]: new Date(record.startDate).toISOString(),
      },
      StateMachine: { Id: this.o.stateMachineArn, Name: smName },
      Task: { Token: this.tokenPlaceholder },
    };
  }

  private interrupt(run: Run, reason: Interruption): void {
    if (run.interrupted) return;
    run.interrupted = reason;
    run.abortLibrary();
    for (const waiting of run.waiting) waiting.interrupt();
  }

  private async finish(run: Run, outcome: Outcome): Promise<void> {
    const reason = run.interrupted;
    if (reason?.kind === 'stop') return; // resumes on the next start
    const now = this.o.clock.now();
    const id = run.nextEventId++;
    let status: Exclude<ExecutionStatus, 'RUNNING'>;
    let fields: { output?: string; error?: string; cause?: string } = {};
    let event: HistoryEvent;
    if (reason?.kind === 'user') {
      status = 'ABORTED';
      fields = { error: reason.error, cause: reason.cause };
      event = {
        id,
        type: 'ExecutionAborted',
        timestamp: now,
        detailsKey: 'executionAbortedEventDetails',
        details: fields,
      };
    } else if (reason?.kind === 'timeout') {
      status = 'TIMED_OUT';
      fields = { error: 'States.Timeout', cause: 'The execution ran longer than its TimeoutSeconds' };
      event = {
        id,
        type: 'ExecutionTimedOut',
        timestamp: now,
        detailsKey: 'executionTimedOutEventDetails',
        details: fields,
      };
    } else if (outcome.ok) {
      status = 'SUCCEEDED';
      fields = { output: JSON.stringify(outcome.output ?? null) };
      event = {
        id,
        type: 'ExecutionSucceeded',
        timestamp: now,
        detailsKey: 'executionSucceededEventDetails',
        details: { output: fields.output, outputDetails: { truncated: false } },
      };
    } else {
      const failure =
        outcome.error instanceof Error && outcome.error.cause instanceof Error
          ? outcome.error.cause
          : outcome.error;
      status = 'FAILED';
      fields =
        failure instanceof Error
          ? { error: failure.name, cause: failure.message }
          : { error: 'Error', cause: String(failure) };
      event = {
        id,
        type: 'ExecutionFailed',
        timestamp: now,
        detailsKey: 'executionFailedEventDetails',
        details: fields,
      };
    }
    await this.o.store.closeExecution(run.record, { status, stopDate: now, ...fields }, event);
    await this.closePendingTokens(run.record.executionArn);
  }

  /** A closed execution's open tokens can no longer complete (SendTask* → TaskTimedOut). */
  private async closePendingTokens(executionArn: string): Promise<void> {
    const tokens = await this.o.store.listTokens(executionArn);
    for (const token of tokens.filter((t) => t.status === 'PENDING')) {
      await this.o.store.settleToken(executionArn, token.id, { status: 'CLOSED' });
    }
  }

  // ---- history ------------------------------------------------------------------------------------

  private async consume(run: Run, logs: AsyncGenerator<LibraryEvent>): Promise<void> {
    for await (const event of logs) {
      if (run.interrupted) continue;
      try {
        this.onLibraryEvent(run, event);
      } catch (error) {
        this.o.onError(error, `recording ${event.type} of ${run.record.executionArn}`);
      }
    }
  }

  private onLibraryEvent(run: Run, event: LibraryEvent): void {
    const types = run.compiled.runnable.stateTypes;
    switch (event.type) {
      case 'StateEntered': {
        const { name, input } = event.state;
        const topLevel = event.index === undefined && run.compiled.runnable.topLevel.has(name);
        if (topLevel && run.resume?.skipEntered && name === run.resume.state) {
          run.resume.skipEntered = false;
          return;
        }
        const entered = this.emit(
          run,
          `${types.get(name) ?? 'Task'}StateEntered`,
          'stateEnteredEventDetails',
          {
            name,
            input: JSON.stringify(input),
            inputDetails: { truncated: false },
          },
        );
        if (topLevel) {
          run.topSeq = entered.id;
          const serialized = JSON.stringify(input);
          run.pending.checkpoint = {
            state: name,
            input: serialized,
            enteredAt: entered.timestamp,
            seq: entered.id,
          };
        }
        return;
      }
      case 'StateExited': {
        const { name, output } = event.state;
        this.emit(run, `${types.get(name) ?? 'Task'}StateExited`, 'stateExitedEventDetails', {
          name,
          output: JSON.stringify(output ?? null),
          outputDetails: { truncated: false },
        });
        return;
      }
      case 'StateFailed': {
        const type = types.get(event.state.name);
        if (type === 'Map' || type === 'Parallel') this.emit(run, `${type}StateFailed`, undefined, undefined);
        return;
      }
      case 'MapIterationStarted':
      case 'MapIterationSucceeded':
      case 'MapIterationFailed': {
        const key = `${event.type[0]?.toLowerCase()}${event.type.slice(1)}EventDetails`;
        this.emit(run, event.type, key, { name: event.parentState.name, index: event.index });
        return;
      }
      default:
        return; // execution events are written by the service; retries and catches have no AWS event
    }
  }

  /** Adds a history event, in order, to the run's write queue. */
  private emit(
    run: Run,
    type: string,
    detailsKey: string | undefined,
    details: Record<string, unknown> | undefined,
  ): HistoryEvent {
    const event: HistoryEvent = { id: run.nextEventId++, type, timestamp: this.o.clock.now() };
    if (detailsKey && details) {
      event.detailsKey = detailsKey;
      event.details = Object.fromEntries(Object.entries(details).filter(([, v]) => v !== undefined));
    }
    run.pending.events.push(event);
    void this.flush(run).catch(() => {});
    return event;
  }

  /**
   * Writes what the run has queued, in order. A flush first waits one macrotask so a burst of events
   * (a state's exit, the next state's entry, its task events) lands in one transaction.
   */
  private flush(run: Run): Promise<void> {
    if (run.flushScheduled) return run.flushScheduled;
    const done = run.chain.then(async () => {
      await new Promise((resolve) => setImmediate(resolve));
      run.flushScheduled = undefined;
      const batch = run.pending;
      run.pending = { events: [], tokens: [] };
      if (batch.events.length === 0 && batch.tokens.length === 0 && !batch.checkpoint) return;
      await this.o.store.writeBatch(run.record.executionArn, batch);
    });
    run.flushScheduled = done;
    run.chain = done.catch((error) => this.o.onError(error, `persisting ${run.record.executionArn}`));
    return done;
  }

  /**
   * Lets the history consumer take every event the library dispatched before this handler was
   * called (it runs on microtasks), then waits for those writes: a task's side effects never run
   * before its state's checkpoint is durable.
   */
  private async settleHistory(run: Run): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    await this.flush(run);
    if (run.interrupted) throw new ExecutionInterrupted();
  }

  // ---- task handlers --------------------------------------------------------------------------------

  private handlersFor(run: Run): LocalHandlers {
    const handlers: Record<string, (input: unknown) => Promise<unknown>> = {};
    for (const [name, spec] of run.compiled.runnable.tasks)
      handlers[name] = (input) => this.task(run, name, spec, input);
    for (const name of run.compiled.runnable.waits) handlers[name] = (input) => this.wait(run, name, input);
    return handlers as LocalHandlers;
  }

  private async task(run: Run, name: string, spec: TaskSpec, input: unknown): Promise<unknown> {
    await this.settleHistory(run);
    const parameters = isRecord(input) ? { ...input } : {};
    const timeoutSeconds = limit(
      spec.timeoutSeconds,
      spec.timeoutFromInput,
      parameters[INJECTED_TIMEOUT],
      name,
    );
    const heartbeatSeconds = limit(
      spec.heartbeatSeconds,
      spec.heartbeatFromInput,
      parameters[INJECTED_HEARTBEAT],
      name,
    );
    delete parameters[INJECTED_TIMEOUT];
    delete parameters[INJECTED_HEARTBEAT];
    if (spec.kind === 'callback')
      return this.callbackTask(run, name, parameters, timeoutSeconds, heartbeatSeconds);
    return this.lambdaTask(run, spec, spec.kind === 'direct' ? input : parameters, timeoutSeconds);
  }

  private functionArn(nameOrArn: unknown): string {
    const arn =
      typeof nameOrArn === 'string' ? resolveFunctionArn(nameOrArn, this.o.functionArns) : undefined;
    if (!arn) throw new StateError('States.Runtime', `unknown function ${String(nameOrArn)}`, false, false);
    return arn;
  }

  private async lambdaTask(
    run: Run,
    spec: TaskSpec,
    input: unknown,
    timeoutSeconds?: number,
  ): Promise<unknown> {
    const direct = spec.kind === 'direct';
    const functionArn = this.functionArn(
      direct ? spec.resource : isRecord(input) ? input.FunctionName : undefined,
    );
    const payload = direct ? input : isRecord(input) ? (input.Payload ?? {}) : {};
    const resource = { resourceType: 'lambda', resource: 'invoke' };
    if (direct) {
      this.emit(run, 'LambdaFunctionScheduled', 'lambdaFunctionScheduledEventDetails', {
        resource: functionArn,
        input: JSON.stringify(payload),
        timeoutInSeconds: timeoutSeconds,
      });
      this.emit(run, 'LambdaFunctionStarted', undefined, undefined);
    } else {
      this.emit(run, 'TaskScheduled', 'taskScheduledEventDetails', {
        ...resource,
        region: this.region,
        parameters: JSON.stringify(input),
        timeoutInSeconds: timeoutSeconds,
      });
      this.emit(run, 'TaskStarted', 'taskStartedEventDetails', resource);
    }
    const timeoutMs = timeoutSeconds === undefined ? undefined : timeoutSeconds * 1000;
    let result: unknown;
    try {
      result = (await this.guarded(run, this.o.invokeFunction(functionArn, payload), { timeoutMs })) ?? null;
    } catch (error) {
      if (error instanceof ExecutionInterrupted) throw error;
      const failure = error instanceof Error && error.name === 'States.Timeout' ? error : lambdaError(error);
      const details = { error: failure.name, cause: failure.message };
      const timedOut = failure.name === 'States.Timeout';
      if (direct) {
        this.emit(
          run,
          timedOut ? 'LambdaFunctionTimedOut' : 'LambdaFunctionFailed',
          `lambdaFunction${timedOut ? 'TimedOut' : 'Failed'}EventDetails`,
          details,
        );
      } else {
        this.emit(
          run,
          timedOut ? 'TaskTimedOut' : 'TaskFailed',
          `task${timedOut ? 'TimedOut' : 'Failed'}EventDetails`,
          { ...resource, ...details },
        );
      }
      throw failure;
    }
    const output = direct ? result : { ExecutedVersion: '$LATEST', Payload: result, StatusCode: 200 };
    const serialized = JSON.stringify(output);
    if (serialized.length > MAX_PAYLOAD) {
      throw new StateError(
        'States.DataLimitExceeded',
        `the task result is ${serialized.length} bytes`,
        false,
        false,
      );
    }
    if (direct)
      this.emit(run, 'LambdaFunctionSucceeded', 'lambdaFunctionSucceededEventDetails', {
        output: serialized,
      });
    else this.emit(run, 'TaskSucceeded', 'taskSucceededEventDetails', { ...resource, output: serialized });
    return output;
  }

  private async callbackTask(
    run: Run,
    name: string,
    parameters: Record<string, unknown>,
    timeoutSeconds?: number,
    heartbeatSeconds?: number,
  ): Promise<unknown> {
    const functionArn = this.functionArn(parameters.FunctionName);
    const template = parameters.Payload ?? {};
    // The placeholder is per process: hash the payload with a fixed stand-in so a resume matches.
    const stable = replaceToken(template, this.tokenPlaceholder, '$$.Task.Token');
    const payloadHash = createHash('sha256').update(stableStringify({ functionArn, stable })).digest('hex');

    const reused = this.claimToken(run, name, payloadHash);
    if (reused) {
      // Resumed at this very task: its function already ran, so only wait on the stored token, which
      // may have been completed while nothing ran.
      const parked = this.park(run, reused);
      const stored = await this.o.store.getToken(reused.executionArn, reused.id);
      if (stored && stored.status !== 'PENDING') parked.settle(stored);
      return parked.promise;
    }

    const enteredAt = this.o.clock.now();
    const { token, id } = mintToken(run.record.executionArn);
    const record: TokenRecord = {
      executionArn: run.record.executionArn,
      id,
      token,
      state: name,
      payloadHash,
      visitSeq: run.topSeq,
      status: 'PENDING',
      enteredAt,
      timeoutAt: timeoutSeconds === undefined ? undefined : enteredAt + timeoutSeconds * 1000,
      heartbeatSeconds,
      heartbeatAt: heartbeatSeconds === undefined ? undefined : enteredAt,
    };
    const resource = { resourceType: 'lambda', resource: 'invoke.waitForTaskToken' };
    const resolved = replaceToken(parameters, this.tokenPlaceholder, token);
    this.emit(run, 'TaskScheduled', 'taskScheduledEventDetails', {
      ...resource,
      region: this.region,
      parameters: JSON.stringify(resolved),
      timeoutInSeconds: timeoutSeconds,
      heartbeatInSeconds: heartbeatSeconds,
    });
    run.pending.tokens.push(record);
    await this.flush(run);
    if (run.interrupted) throw new ExecutionInterrupted();
    // Park before calling: the function may complete its own token before it returns.
    const parked = this.park(run, record);
    this.emit(run, 'TaskStarted', 'taskStartedEventDetails', resource);
    let result: unknown;
    try {
      result = await this.guarded(run, this.o.invokeFunction(functionArn, resolved.Payload ?? {}));
    } catch (error) {
      if (error instanceof ExecutionInterrupted) throw error;
      const failure = lambdaError(error);
      if (await this.o.store.settleToken(record.executionArn, id, { status: 'CLOSED' })) {
        parked.interrupt();
        this.emit(run, 'TaskFailed', 'taskFailedEventDetails', {
          ...resource,
          error: failure.name,
          cause: failure.message,
        });
        throw failure;
      }
      // The token was completed (or timed out) before the function failed: that outcome stands.
    }
    this.emit(run, 'TaskSubmitted', 'taskSubmittedEventDetails', {
      ...resource,
      output: JSON.stringify({ ExecutedVersion: '$LATEST', Payload: result ?? null, StatusCode: 200 }),
    });
    return parked.promise;
  }

  /** On a resumed visit, the token this task entry got before the restart (oldest first). */
  private claimToken(run: Run, state: string, payloadHash: string): TokenRecord | undefined {
    const resume = run.resume;
    if (!resume || run.topSeq !== resume.seq) return undefined;
    const index = resume.tokens.findIndex((t) => t.state === state && t.payloadHash === payloadHash);
    return index < 0 ? undefined : resume.tokens.splice(index, 1)[0];
  }

  /** Waits on a token: settled by SendTask*, its timeouts on the simulated clock, or an interruption. */
  private park(run: Run, record: TokenRecord): Parked {
    let resolve!: (value: unknown) => void;
    let reject!: (error: unknown) => void;
    const promise = new Promise<unknown>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    promise.catch(() => {}); // awaited by the handler; never an unhandled rejection
    const resource = { resourceType: 'lambda', resource: 'invoke.waitForTaskToken' };
    let cancelTimeout = () => {};
    let cancelHeartbeat = () => {};
    const done = () => {
      parked.settled = true;
      cancelTimeout();
      cancelHeartbeat();
      run.waiting.delete(parked);
      if (this.parked.get(record.id) === parked) this.parked.delete(record.id);
    };
    const parked: Parked = {
      record,
      run,
      promise,
      settled: false,
      interrupt: () => {
        if (parked.settled) return;
        done();
        reject(new ExecutionInterrupted());
      },
      settle: (outcome) => {
        if (parked.settled || outcome.status === 'PENDING') return;
        done();
        if (outcome.status === 'SUCCEEDED') {
          this.emit(run, 'TaskSucceeded', 'taskSucceededEventDetails', {
            ...resource,
            output: outcome.output ?? 'null',
          });
          resolve(JSON.parse(outcome.output ?? 'null'));
        } else if (outcome.status === 'FAILED') {
          this.emit(run, 'TaskFailed', 'taskFailedEventDetails', {
            ...resource,
            error: outcome.error,
            cause: outcome.cause,
          });
          reject(new StateError(outcome.error ?? '', outcome.cause ?? ''));
        } else if (outcome.status === 'TIMED_OUT') {
          const name =
            outcome.error === 'States.HeartbeatTimeout' ? 'States.HeartbeatTimeout' : 'States.Timeout';
          this.emit(run, 'TaskTimedOut', 'taskTimedOutEventDetails', {
            ...resource,
            error: name,
            cause: outcome.cause,
          });
          reject(timeoutError(name));
        } else {
          reject(new ExecutionInterrupted());
        }
      },
      rearmHeartbeat: (at) => {
        if (parked.settled || record.heartbeatSeconds === undefined) return;
        record.heartbeatAt = at;
        cancelHeartbeat();
        cancelHeartbeat = this.o.scheduler.at(at + record.heartbeatSeconds * 1000, () =>
          this.expire(parked, 'States.HeartbeatTimeout'),
        );
      },
    };
    this.parked.set(record.id, parked);
    run.waiting.add(parked);
    if (record.timeoutAt !== undefined) {
      cancelTimeout = this.o.scheduler.at(record.timeoutAt, () => this.expire(parked, 'States.Timeout'));
    }
    parked.rearmHeartbeat(record.heartbeatAt ?? record.enteredAt);
    return parked;
  }

  private expire(parked: Parked, error: 'States.Timeout' | 'States.HeartbeatTimeout'): void {
    const { executionArn, id } = parked.record;
    const cause =
      error === 'States.Timeout'
        ? 'The task ran longer than its TimeoutSeconds'
        : 'No heartbeat within HeartbeatSeconds';
    this.o.store
      .settleToken(executionArn, id, { status: 'TIMED_OUT', error, cause })
      .then(async (settled) => {
        if (settled) return parked.settle({ status: 'TIMED_OUT', error, cause });
        const stored = await this.o.store.getToken(executionArn, id);
        if (stored) parked.settle(stored);
      })
      .catch((failure) => this.o.onError(failure, `timing out a task of ${executionArn}`));
  }

  /** A Wait state (derived into a Task): returns its input once the simulated clock reaches its time. */
  private async wait(run: Run, name: string, input: unknown): Promise<unknown> {
    await this.settleHistory(run);
    const spec = isRecord(input) ? input : {};
    const resume = run.resume;
    let enteredAt = this.o.clock.now();
    if (resume && !resume.waitEnteredUsed && resume.state === name && run.topSeq === resume.seq) {
      resume.waitEnteredUsed = true;
      enteredAt = resume.enteredAt;
    }
    let until = enteredAt;
    if (spec.seconds !== undefined) {
      if (typeof spec.seconds !== 'number' || !Number.isInteger(spec.seconds) || spec.seconds < 0) {
        throw new StateError(
          'States.Runtime',
          `Wait "${name}": seconds must be a non-negative integer`,
          false,
          false,
        );
      }
      until = enteredAt + spec.seconds * 1000;
    } else if (spec.timestamp !== undefined) {
      until = typeof spec.timestamp === 'string' ? Date.parse(spec.timestamp) : Number.NaN;
      if (Number.isNaN(until)) {
        throw new StateError(
          'States.Runtime',
          `Wait "${name}": timestamp is not an ISO 8601 time`,
          false,
          false,
        );
      }
    }
    if (this.o.clock.now() < until) {
      await this.guarded(run, new Promise<never>(() => {}), { until });
    }
    return spec.input ?? null;
  }

  /**
   * Races `work` against the run's interruption and an optional limit: `until`, a time on the
   * simulated clock that ends the wait successfully (a Wait state), or `timeoutMs`, real time after
   * which it fails with `States.Timeout` (a Lambda invocation runs in real time, so moving the
   * simulated clock must not time it out).
   */
  private guarded<T>(
    run: Run,
    work: Promise<T>,
    limit: { until?: number; timeoutMs?: number } = {},
  ): Promise<T | undefined> {
    return new Promise<T | undefined>((resolve, reject) => {
      let cancelLimit = () => {};
      const waiting: Interruptible = {
        interrupt: () => {
          cleanup();
          reject(new ExecutionInterrupted());
        },
      };
      const cleanup = () => {
        cancelLimit();
        run.waiting.delete(waiting);
      };
      if (run.interrupted) return reject(new ExecutionInterrupted());
      run.waiting.add(waiting);
      if (limit.until !== undefined) {
        cancelLimit = this.o.scheduler.at(limit.until, () => {
          cleanup();
          resolve(undefined);
        });
      } else if (limit.timeoutMs !== undefined) {
        const timer = setTimeout(
          () => {
            cleanup();
            reject(timeoutError('States.Timeout'));
          },
          Math.min(limit.timeoutMs, 2 ** 31 - 1),
        );
        cancelLimit = () => clearTimeout(timer);
      }
      work.then(
        (value) => {
          cleanup();
          resolve(value);
        },
        (error) => {
          cleanup();
          reject(error);
        },
      );
    });
  }
}

function taskTimedOut(): SfnApiError {
  return new SfnApiError(
    'TaskTimedOut',
    'Task Timed Out: the task of this token was already completed, timed out, or its execution closed',
  );
}

/** A TimeoutSeconds/HeartbeatSeconds value: static, or resolved by the library from the state's input. */
function limit(
  value: number | undefined,
  fromInput: boolean,
  resolved: unknown,
  state: string,
): number | undefined {
  if (!fromInput) return value;
  if (typeof resolved !== 'number' || !Number.isInteger(resolved) || resolved < 1) {
    throw new StateError(
      'States.Runtime',
      `Task "${state}": a …SecondsPath must give a positive integer`,
      false,
      false,
    );
  }
  return resolved;
}

/** Substitutes the minted token wherever the resolved parameters carry the context's placeholder. */
export function replaceToken<T>(value: T, placeholder: string, token: string): T {
  if (typeof value === 'string') return value.split(placeholder).join(token) as T;
  if (Array.isArray(value)) return value.map((v) => replaceToken(v, placeholder, token)) as T;
  if (isRecord(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, replaceToken(v, placeholder, token)]),
    ) as T;
  }
  return value;
}

export type { ExecutionStatus, TokenStatus };
