import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  type AuditEntry,
  type ChainedEntry,
  type ChainVerdict,
  chain,
  GENESIS_HASH,
  verifyChain,
} from '../audit/chain';
import type {
  Actor,
  CaseAttention,
  CaseHead,
  CaseStatus,
  EvidenceItem,
  QuarantinedObject,
  TaskItem,
  TimelineEvent,
} from '../cases/model';
import { lazyEnv } from '../config';
import { ConflictError } from '../errors';
import { documentClient } from './dynamo';
import {
  assigneeKey,
  caseKey,
  evidenceSort,
  HEAD,
  intakeKey,
  orgKey,
  roundKey,
  roundSort,
  taskSort,
} from './keys';

const table = lazyEnv('CASES_TABLE');

export interface CaseRecord {
  head: CaseHead;
  evidence: EvidenceItem[];
  rosters: Record<string, Record<string, unknown>>;
  tasks: TaskItem[];
  /** Objects intake kept out of the dossier; only city staff see them. */
  quarantined?: QuarantinedObject[];
  timeline: TimelineEvent[];
}

/** A stored task, with the token that never leaves the server. */
export interface StoredTask extends TaskItem {
  taskToken: string;
}

function headItem(head: CaseHead) {
  return {
    pk: caseKey(head.caseId),
    sk: HEAD,
    entity: 'case',
    ...head,
    roundKey: roundKey(head.roundId),
    roundSort: roundSort(head.status, head.caseId),
    orgKey: orgKey(head.org),
    orgSort: `${head.createdAt}#${head.caseId}`,
  };
}

function actorFields(actor: string | Actor): { actor: string; role: string } {
  return typeof actor === 'string' ? { actor, role: 'system' } : { actor: actor.id, role: actor.role };
}

/** The audit entry's item: sorted by its sequence number, carrying its link in the hash chain. */
function eventItem(entry: ChainedEntry) {
  return {
    pk: caseKey(entry.caseId),
    sk: `EVENT#${String(entry.seq).padStart(8, '0')}`,
    entity: 'event',
    ...entry,
  };
}

/** What a write that appends an audit entry adds to its case-head update. */
interface AuditedWrite {
  /** Condition: the chain did not move since its anchor was read. */
  headCondition: string;
  /** SET clause moving the head's anchor to the new entry. */
  headSet: string;
  values: Record<string, unknown>;
  eventPut: { Put: { TableName: string; Item: Record<string, unknown> } };
}

/** Enough for dozens of writers racing on one case (contention is normally one or two). */
const MAX_AUDIT_RETRIES = 80;

async function auditAnchor(caseId: string): Promise<{ seq: number; hash: string }> {
  const result = await documentClient().send(
    new GetCommand({
      TableName: table(),
      Key: { pk: caseKey(caseId), sk: HEAD },
      ConsistentRead: true,
      ProjectionExpression: 'auditSeq, auditHash',
    }),
  );
  const seq = result.Item?.auditSeq;
  const hash = result.Item?.auditHash;
  return typeof seq === 'number' && typeof hash === 'string' ? { seq, hash } : { seq: 0, hash: GENESIS_HASH };
}

/**
 * Writes a business change and its audit entry in one transaction, chained to the case's trail.
 * Concurrent writers race on the head's anchor: the loser re-reads it and tries again, so the trail
 * stays one contiguous chain. A transaction refused for any other reason is thrown as it came.
 */
async function writeAudited(
  caseId: string,
  entry: Omit<AuditEntry, 'caseId' | 'seq'>,
  build: (audit: AuditedWrite) => TransactWriteCommandInput['TransactItems'],
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const anchor = await auditAnchor(caseId);
    const chained = chain(anchor.hash, { ...entry, caseId, seq: anchor.seq + 1 });
    const audit: AuditedWrite = {
      headCondition: anchor.seq === 0 ? 'attribute_not_exists(auditSeq)' : 'auditSeq = :auditSeq',
      headSet: 'auditSeq = :auditNext, auditHash = :auditHash',
      values: {
        ...(anchor.seq === 0 ? {} : { ':auditSeq': anchor.seq }),
        ':auditNext': chained.seq,
        ':auditHash': chained.hash,
      },
      eventPut: { Put: { TableName: table(), Item: eventItem(chained) } },
    };
    try {
      await documentClient().send(new TransactWriteCommand({ TransactItems: build(audit) }));
      return;
    } catch (error) {
      const raced =
        error instanceof TransactionCanceledException && (await auditAnchor(caseId)).seq !== anchor.seq;
      if (!raced || attempt >= MAX_AUDIT_RETRIES) throw error;
      // Full jitter, capped: racing writers spread out instead of colliding again in lockstep.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(250, 5 * 2 ** attempt)));
    }
  }
}

/** Creates a case and its first audit entry together, refusing to overwrite an existing id. */
export async function createCase(head: CaseHead, actor: Actor): Promise<void> {
  const entry = { at: head.createdAt, status: head.status, ...actorFields(actor), action: 'case-created' };
  const first = chain(GENESIS_HASH, { ...entry, caseId: head.caseId, seq: 1 });
  await documentClient().send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Put: {
            TableName: table(),
            Item: { ...headItem(head), auditSeq: first.seq, auditHash: first.hash },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        { Put: { TableName: table(), Item: eventItem(first) } },
      ],
    }),
  );
}

export async function getCaseHead(caseId: string): Promise<CaseHead | undefined> {
  const result = await documentClient().send(
    new GetCommand({ TableName: table(), Key: { pk: caseKey(caseId), sk: HEAD }, ConsistentRead: true }),
  );
  return result.Item ? toHead(result.Item) : undefined;
}

/** The whole item collection of a case, in one paginated query. */
export async function loadCase(caseId: string): Promise<CaseRecord | undefined> {
  const items = await queryAll({
    TableName: table(),
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': caseKey(caseId) },
    ConsistentRead: true,
  });

  const headRaw = items.find((item) => item.sk === HEAD);
  if (!headRaw) return undefined;
  const record: CaseRecord = { head: toHead(headRaw), evidence: [], rosters: {}, tasks: [], timeline: [] };
  for (const item of items) {
    const sk = String(item.sk);
    if (sk.startsWith('EVIDENCE#')) record.evidence.push(strip(item) as unknown as EvidenceItem);
    else if (sk.startsWith('ROSTER#')) record.rosters[sk.slice('ROSTER#'.length)] = strip(item);
    else if (sk.startsWith('TASK#')) record.tasks.push(toTask(item));
    else if (sk.startsWith('EVENT#')) record.timeline.push(strip(item) as unknown as TimelineEvent);
    else if (sk.startsWith('QUARANTINE#'))
      record.quarantined = [...(record.quarantined ?? []), strip(item) as unknown as QuarantinedObject];
  }
  // Entries are stored in sequence order (their sort key); the query returns them that way.
  return record;
}

/**
 * Moves a case to a new status if it is in one of the expected statuses, appending the timeline
 * entry in the same transaction. A case in any other status is a 409 and nothing is written.
 */
export async function transitionCase(
  caseId: string,
  change: {
    from: readonly CaseStatus[];
    to: CaseStatus;
    /** A person (`sub`), or `system`; plain strings are system steps of the workflow. */
    actor: string | Actor;
    at: string;
    /** What happened, for the audit trail (e.g. `submitted`); defaults to `status-changed`. */
    action?: string;
    /** The status before, when `from` lists more than one. */
    before?: CaseStatus;
    note?: string;
    incrementAttempt?: boolean;
  },
): Promise<void> {
  const fromValues = Object.fromEntries(change.from.map((status, i) => [`:from${i}`, status]));
  const entry = {
    at: change.at,
    status: change.to,
    from: change.before ?? (change.from.length === 1 ? change.from[0] : undefined),
    ...actorFields(change.actor),
    action: change.action ?? 'status-changed',
    note: change.note,
  };
  try {
    await writeAudited(caseId, entry, (audit) => [
      {
        Update: {
          TableName: table(),
          Key: { pk: caseKey(caseId), sk: HEAD },
          ConditionExpression: `#status IN (${Object.keys(fromValues).join(', ')}) AND ${audit.headCondition}`,
          UpdateExpression: `SET #status = :to, roundSort = :roundSort, updatedAt = :at, version = version + :one, ${audit.headSet}${
            change.incrementAttempt ? ', attempt = attempt + :one' : ''
          }`,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ...fromValues,
            ...audit.values,
            ':to': change.to,
            ':roundSort': roundSort(change.to, caseId),
            ':at': change.at,
            ':one': 1,
          },
        },
      },
      audit.eventPut,
    ]);
  } catch (error) {
    if (error instanceof TransactionCanceledException) {
      throw new ConflictError('ILLEGAL_TRANSITION', `申报当前状态不允许变更为 ${change.to}`, undefined, {
        cause: error,
      });
    }
    throw error;
  }
}

/** Replaces the form if the caller saw the current version (optimistic locking). */
export async function updateForm(
  caseId: string,
  expectedVersion: number,
  form: Record<string, unknown>,
  editable: readonly CaseStatus[],
  audit: { at: string; actor: Actor; status: CaseStatus },
): Promise<number> {
  const editableValues = Object.fromEntries(editable.map((status, i) => [`:s${i}`, status]));
  const entry = {
    at: audit.at,
    status: audit.status,
    from: audit.status,
    ...actorFields(audit.actor),
    action: 'form-updated',
  };
  try {
    await writeAudited(caseId, entry, (chained) => [
      {
        Update: {
          TableName: table(),
          Key: { pk: caseKey(caseId), sk: HEAD },
          ConditionExpression: `version = :expected AND #status = :status AND #status IN (${Object.keys(editableValues).join(', ')}) AND ${chained.headCondition}`,
          UpdateExpression: `SET form = :form, version = version + :one, updatedAt = :at, ${chained.headSet}`,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ...editableValues,
            ...chained.values,
            ':expected': expectedVersion,
            ':status': audit.status,
            ':form': form,
            ':one': 1,
            ':at': audit.at,
          },
        },
      },
      chained.eventPut,
    ]);
    // The condition pinned the version, so the new one is known without reading it back.
    return expectedVersion + 1;
  } catch (error) {
    if (error instanceof TransactionCanceledException) {
      throw new ConflictError('VERSION_CONFLICT', '申报已被修改或当前状态不可编辑，请刷新后重试', undefined, {
        cause: error,
      });
    }
    throw error;
  }
}

export async function putEvidence(caseId: string, item: EvidenceItem): Promise<void> {
  await documentClient().send(
    new PutCommand({
      TableName: table(),
      Item: { pk: caseKey(caseId), sk: evidenceSort(item.evidenceId), entity: 'evidence', ...item },
    }),
  );
}

/**
 * Claims an upload reservation for one object (by its S3 event sequencer): true for the first object,
 * and again for a retry of that same event; false once another object took it — the link is used.
 */
export async function claimReservation(
  caseId: string,
  evidenceId: string,
  object: { sequencer: string; versionId?: string },
): Promise<boolean> {
  try {
    await documentClient().send(
      new UpdateCommand({
        TableName: table(),
        Key: { pk: caseKey(caseId), sk: evidenceSort(evidenceId) },
        UpdateExpression: object.versionId
          ? 'SET objectSequencer = :seq, versionId = :v'
          : 'SET objectSequencer = :seq',
        ConditionExpression:
          'attribute_exists(pk) AND (attribute_not_exists(objectSequencer) OR objectSequencer = :seq)',
        ExpressionAttributeValues: {
          ':seq': object.sequencer,
          ...(object.versionId ? { ':v': object.versionId } : {}),
        },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** Records a quarantined object on its case (one item per object, so a retry rewrites the same one). */
export async function putQuarantined(caseId: string, item: QuarantinedObject): Promise<void> {
  await documentClient().send(
    new PutCommand({
      TableName: table(),
      Item: {
        pk: caseKey(caseId),
        sk: `QUARANTINE#${item.evidenceId}#${item.sequencer}`,
        entity: 'quarantine',
        ...item,
      },
    }),
  );
}

export function caseIdOfTask(taskId: string): string | undefined {
  const dot = taskId.lastIndexOf('.');
  return dot > 0 ? taskId.slice(0, dot) : undefined;
}

/**
 * Opens a task and moves the case to the status it holds while the task is open, in one
 * transaction. Opening the same task twice (a retried invocation) is refused by the condition.
 */
export async function openTask(
  task: StoredTask,
  caseStatus: CaseStatus,
  actor: string | Actor,
  attention?: CaseAttention,
): Promise<void> {
  const entry = {
    at: task.createdAt,
    status: caseStatus,
    ...actorFields(actor),
    action: `task-opened:${task.type}`,
    ...(attention ? { note: `${attention.state}: ${attention.error}` } : {}),
  };
  await writeAudited(task.caseId, entry, (audit) => [
    {
      Put: {
        TableName: table(),
        Item: {
          pk: caseKey(task.caseId),
          sk: taskSort(task.taskId),
          entity: 'task',
          ...task,
          assigneeKey: assigneeKey(task.assigneeGroup),
          assigneeSort: `${task.dueAt}#${task.taskId}`,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    {
      Update: {
        TableName: table(),
        Key: { pk: caseKey(task.caseId), sk: HEAD },
        ConditionExpression: `attribute_exists(pk) AND ${audit.headCondition}`,
        UpdateExpression: `SET #status = :status, roundSort = :roundSort, updatedAt = :at, version = version + :one, ${attention ? 'attention = :attention, ' : ''}${audit.headSet}`,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ...audit.values,
          ':status': caseStatus,
          ':roundSort': roundSort(caseStatus, task.caseId),
          ':at': task.createdAt,
          ':one': 1,
          ...(attention ? { ':attention': attention } : {}),
        },
      },
    },
    audit.eventPut,
  ]);
}

export async function getTask(taskId: string): Promise<StoredTask | undefined> {
  const caseId = caseIdOfTask(taskId);
  if (!caseId) return undefined;
  const result = await documentClient().send(
    new GetCommand({
      TableName: table(),
      Key: { pk: caseKey(caseId), sk: taskSort(taskId) },
      ConsistentRead: true,
    }),
  );
  return result.Item ? toStoredTask(result.Item) : undefined;
}

/**
 * Closes an open task exactly once: of two concurrent completions one wins, the other gets a 409.
 * Leaving the assignee index happens in the same write.
 */
export async function closeTask(
  task: Pick<TaskItem, 'taskId' | 'caseId'>,
  outcome: { state: 'DONE' | 'EXPIRED'; at: string; decision?: string; opinion?: string; signer?: string },
): Promise<void> {
  try {
    await documentClient().send(
      new UpdateCommand({
        TableName: table(),
        Key: { pk: caseKey(task.caseId), sk: taskSort(task.taskId) },
        ConditionExpression: '#state = :open',
        UpdateExpression:
          'SET #state = :state, completedAt = :at, decision = :decision, opinion = :opinion, signer = :signer REMOVE assigneeKey, assigneeSort',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: {
          ':open': 'OPEN',
          ':state': outcome.state,
          ':at': outcome.at,
          ':decision': outcome.decision ?? null,
          ':opinion': outcome.opinion ?? null,
          ':signer': outcome.signer ?? null,
        },
      }),
    );
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) {
      throw new ConflictError('TASK_CLOSED', '该待办已经办结', undefined, { cause: error });
    }
    throw error;
  }
}

/** Open tasks of the given assignee groups, earliest due first. */
export async function listOpenTasks(groups: string[]): Promise<TaskItem[]> {
  const tasks: TaskItem[] = [];
  for (const group of groups) {
    const items = await queryAll({
      TableName: table(),
      IndexName: 'byAssignee',
      KeyConditionExpression: 'assigneeKey = :key',
      ExpressionAttributeValues: { ':key': assigneeKey(group) },
    });
    tasks.push(...items.map(toTask));
  }
  return tasks.sort((a, b) => a.dueAt.localeCompare(b.dueAt));
}

/** Every page of a query: item collections and inbox lists are small, but never assume one page. */
async function queryAll(
  input: Omit<QueryCommandInput, 'ExclusiveStartKey'>,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documentClient().send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/** A task item with its token, for the server side only. */
function toStoredTask(item: Record<string, unknown>): StoredTask {
  const { assigneeKey: _key, assigneeSort: _sort, ...task } = strip(item);
  return task as unknown as StoredTask;
}

/** A task as anyone outside the server may see it: never the token. */
function toTask(item: Record<string, unknown>): TaskItem {
  const { taskToken: _token, ...task } = toStoredTask(item);
  return task;
}

function strip(item: Record<string, unknown>): Record<string, unknown> {
  const { pk: _pk, sk: _sk, entity: _entity, ...rest } = item;
  return rest;
}

function toHead(item: Record<string, unknown>): CaseHead {
  const { roundKey: _r, roundSort: _rs, orgKey: _o, orgSort: _os, ...rest } = strip(item);
  return rest as unknown as CaseHead;
}

/**
 * The workflow no longer waits for this task (its state timed out): the completion just recorded
 * did not take effect, so the task is marked expired instead of done.
 */
export async function expireClosedTask(task: StoredTask): Promise<void> {
  await documentClient().send(
    new UpdateCommand({
      TableName: table(),
      Key: { pk: caseKey(task.caseId), sk: taskSort(task.taskId) },
      ConditionExpression: '#state = :done',
      UpdateExpression: 'SET #state = :expired REMOVE decision, opinion, signer',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ':done': 'DONE', ':expired': 'EXPIRED' },
    }),
  );
}

/** The city has answered an attention task: the case no longer needs attention. */
export async function clearAttention(caseId: string): Promise<void> {
  await documentClient().send(
    new UpdateCommand({
      TableName: table(),
      Key: { pk: caseKey(caseId), sk: HEAD },
      UpdateExpression: 'REMOVE attention',
    }),
  );
}

/** Undoes `closeTask` when the workflow could not take the decision, putting the task back in its inbox. */
export async function reopenTask(task: StoredTask): Promise<void> {
  await documentClient().send(
    new UpdateCommand({
      TableName: table(),
      Key: { pk: caseKey(task.caseId), sk: taskSort(task.taskId) },
      ConditionExpression: '#state = :done',
      UpdateExpression:
        'SET #state = :open, assigneeKey = :key, assigneeSort = :sort REMOVE completedAt, decision, opinion, signer',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: {
        ':done': 'DONE',
        ':open': 'OPEN',
        ':key': assigneeKey(task.assigneeGroup),
        ':sort': `${task.dueAt}#${task.taskId}`,
      },
    }),
  );
}

// Sequencers compare as hex strings of equal length (S3 event documentation).
const paddedSequencer = (sequencer: string) => sequencer.padStart(32, '0');

/**
 * Whether an S3 event for an object was already handled: the same or a newer sequencer was
 * recorded. Duplicates and late out-of-order events are skipped; a failed attempt records
 * nothing, so the retry does the work.
 */
export async function isObjectEventHandled(
  bucketName: string,
  key: string,
  sequencer: string,
): Promise<boolean> {
  const result = await documentClient().send(
    new GetCommand({
      TableName: table(),
      Key: { pk: intakeKey(bucketName, key), sk: 'SEQUENCER' },
      ConsistentRead: true,
    }),
  );
  const handled = result.Item?.sequencer;
  return typeof handled === 'string' && handled >= paddedSequencer(sequencer);
}

/** Records an S3 event as handled, unless a newer one already was (then the newer one wins). */
export async function markObjectEventHandled(
  bucketName: string,
  key: string,
  sequencer: string,
): Promise<void> {
  const padded = paddedSequencer(sequencer);
  try {
    await documentClient().send(
      new PutCommand({
        TableName: table(),
        Item: { pk: intakeKey(bucketName, key), sk: 'SEQUENCER', entity: 'intake', sequencer: padded },
        ConditionExpression: 'attribute_not_exists(pk) OR sequencer < :seq',
        ExpressionAttributeValues: { ':seq': padded },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}

export async function getEvidence(caseId: string, evidenceId: string): Promise<EvidenceItem | undefined> {
  const result = await documentClient().send(
    new GetCommand({
      TableName: table(),
      Key: { pk: caseKey(caseId), sk: evidenceSort(evidenceId) },
      ConsistentRead: true,
    }),
  );
  return result.Item ? (strip(result.Item) as unknown as EvidenceItem) : undefined;
}

/** Marks earlier accepted evidence of a single-file slot as superseded by a newer one (never deleted). */
export async function supersedeEvidence(caseId: string, evidenceIds: string[], by: string): Promise<void> {
  for (const evidenceId of evidenceIds) {
    await documentClient()
      .send(
        new UpdateCommand({
          TableName: table(),
          Key: { pk: caseKey(caseId), sk: evidenceSort(evidenceId) },
          UpdateExpression: 'SET supersededBy = :by',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(supersededBy)',
          ExpressionAttributeValues: { ':by': by },
        }),
      )
      .catch((error: unknown) => {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      });
  }
}

/** Keeps the latest automatic check on the case head, so the applicant sees every defect at once. */
export async function recordAutoCheck(
  caseId: string,
  check: { at: string; verdict: string; defects: { path: string; code: string; message: string }[] },
): Promise<void> {
  await documentClient().send(
    new UpdateCommand({
      TableName: table(),
      Key: { pk: caseKey(caseId), sk: HEAD },
      ConditionExpression: 'attribute_exists(pk)',
      UpdateExpression: 'SET lastCheck = :check',
      ExpressionAttributeValues: { ':check': check },
    }),
  );
}

/** Appends an audit entry that changes nothing else on the case (e.g. evidence received). */
export async function appendAuditEntry(
  caseId: string,
  entry: { at: string; status: CaseStatus; actor: string | Actor; action: string; note?: string },
): Promise<void> {
  const { actor, ...rest } = entry;
  await writeAudited(caseId, { ...rest, ...actorFields(actor) }, (audit) => [
    {
      Update: {
        TableName: table(),
        Key: { pk: caseKey(caseId), sk: HEAD },
        ConditionExpression: `attribute_exists(pk) AND ${audit.headCondition}`,
        UpdateExpression: `SET ${audit.headSet}`,
        ExpressionAttributeValues: audit.values,
      },
    },
    audit.eventPut,
  ]);
}

/** Checks a case's audit trail against the anchor on its head (see `shared/audit/chain.ts`). */
export async function verifyCaseAudit(caseId: string): Promise<ChainVerdict> {
  const items = await queryAll({
    TableName: table(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :event)',
    ExpressionAttributeValues: { ':pk': caseKey(caseId), ':event': 'EVENT#' },
    ConsistentRead: true,
  });
  const entries = items.map((item) => strip(item) as unknown as ChainedEntry);
  return verifyChain(entries, await auditAnchor(caseId));
}
