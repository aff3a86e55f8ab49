import { createCalendar, publicityWindow } from '../calendar/index';
import type { CaseHead } from '../cases/model';
import { ConflictError, UnprocessableError } from '../errors';
import { logger } from '../logger';
import type { Round } from '../rounds/schema';
import {
  departuresFromRanking,
  type PairingPriority,
  pairingOf,
  type Ranked,
  rankCandidates,
} from '../rules/ranking';
import {
  appendAuditEntry,
  closeTask,
  expireClosedTask,
  getCaseHead,
  getTask,
  listOpenTasks,
  reopenTask,
  type StoredTask,
} from '../store/cases-repository';
import {
  getSelection,
  type PublicityItem,
  putSelection,
  type SelectionRecord,
} from '../store/rounds-repository';
import { listRoundAggregates, listRoundScores } from '../store/scores-repository';
import { selectionGroup } from './assignees';
import { resumeTask } from './sfn';

/**
 * The round-level selection (择优确定候选名单): the cases waiting at AwaitSelection, the ranking the
 * service proposes over them, and the city's selection, which resolves every waiting case's task —
 * listed → selected (with the publicity end the workflow waits for), the others → not selected.
 */

export interface Candidate {
  caseId: string;
  kind: CaseHead['kind'];
  name: string;
  ownerUnit: string;
  countyCode: string | null;
  countyName: string;
  pairing: PairingPriority;
  /** The panel's aggregate total (the trimmed mean from five experts, else the mean). */
  total: number | null;
  mean: number | null;
  trimmedMean: number | null;
  experts: number;
  spread: number;
  spreadFlagged: boolean;
  onsiteTotal: number | null;
}

const text = (value: unknown) => (typeof value === 'string' ? value : '');

export function countyNameOf(round: Round, head: Pick<CaseHead, 'route' | 'countyCode'>): string {
  if (head.route === 'direct' || !head.countyCode) return '市直';
  return round.counties.find((county) => county.code === head.countyCode)?.name ?? head.countyCode;
}

/** The open selection tasks of a round: one per case waiting at AwaitSelection. */
async function waitingTasks(roundId: string) {
  return listOpenTasks([selectionGroup(roundId)]);
}

/** The waiting cases with their scores and pairing, in the proposed ranking order. */
export async function proposedRanking(round: Round): Promise<Ranked<Candidate>[]> {
  const tasks = await waitingTasks(round.roundId);
  const [aggregates, onsite] = await Promise.all([
    listRoundAggregates(round.roundId, 'expert-review'),
    listRoundScores(round.roundId, 'onsite-evaluation'),
  ]);
  const aggregateOf = new Map(aggregates.map((aggregate) => [aggregate.caseId, aggregate]));
  const onsiteOf = new Map(onsite.map((score) => [score.caseId, score.total]));
  const candidates: Candidate[] = [];
  for (const task of tasks) {
    const head = await getCaseHead(task.caseId);
    if (!head) continue;
    const aggregate = aggregateOf.get(head.caseId);
    candidates.push({
      caseId: head.caseId,
      kind: head.kind,
      name: text(head.form.name),
      ownerUnit: text(head.form.ownerUnit),
      countyCode: head.countyCode ?? null,
      countyName: countyNameOf(round, head),
      pairing: pairingOf(head.form),
      total: aggregate?.total ?? null,
      mean: aggregate?.mean ?? null,
      trimmedMean: aggregate?.trimmedMean ?? null,
      experts: aggregate?.count ?? 0,
      spread: aggregate?.spread ?? 0,
      spreadFlagged: aggregate?.spreadFlagged ?? false,
      onsiteTotal: onsiteOf.get(head.caseId) ?? null,
    });
  }
  return rankCandidates(candidates);
}

export interface SelectionRequest {
  caseIds: string[];
  opinion?: string;
}

/**
 * Makes the round's selection, or finishes one that was interrupted (the same list again resolves
 * the tasks still open; a different list is a 409). The publicity window starts now and is stored
 * with the calendar version that computed it.
 */
export async function selectCandidates(
  round: Round,
  request: SelectionRequest,
  caller: string,
  now: string,
): Promise<SelectionRecord> {
  let selection = await getSelection(round.roundId);
  if (selection) {
    if (!sameSet(selection.caseIds, request.caseIds)) {
      throw new ConflictError('ALREADY_SELECTED', '本年度的候选名单已经确定');
    }
  } else {
    selection = await newSelection(round, request, caller, now);
    await putSelection(selection);
    logger.info('selection made', {
      roundId: round.roundId,
      selected: selection.caseIds.length,
      notSelected: selection.notSelected.length,
      followsRanking: selection.followsRanking,
    });
  }
  await resolveWaitingTasks(selection, caller);
  return selection;
}

async function newSelection(
  round: Round,
  request: SelectionRequest,
  caller: string,
  now: string,
): Promise<SelectionRecord> {
  const ranking = await proposedRanking(round);
  const waiting = new Map(ranking.map((candidate) => [candidate.caseId, candidate]));
  const unknown = request.caseIds.filter((caseId) => !waiting.has(caseId));
  if (unknown.length > 0) {
    throw new UnprocessableError(
      'NOT_AWAITING_SELECTION',
      `${unknown.length} 个申报不在待择优名单中`,
      unknown.map((caseId) => ({
        path: `body.caseIds.${request.caseIds.indexOf(caseId)}`,
        code: 'NOT_AWAITING_SELECTION',
        message: `申报 ${caseId} 未在等待择优`,
      })),
    );
  }
  const chosen = new Set(request.caseIds);
  const departures = departuresFromRanking(ranking, chosen);
  if (departures.length > 0 && !request.opinion) {
    throw new UnprocessableError(
      'OPINION_REQUIRED',
      '候选名单与建议排序不一致，请填写择优意见',
      departures.map(({ caseId, over }) => ({
        path: 'body.opinion',
        code: 'RANKING_OVERRIDDEN',
        message: `申报 ${caseId} 排序先于入选的 ${over}`,
      })),
    );
  }
  const window = publicityWindow(createCalendar(round.calendar), now, round.publicityWorkingDays);
  const items: PublicityItem[] = request.caseIds.map((caseId) => {
    const candidate = waiting.get(caseId);
    if (!candidate) throw new Error('invariant: a listed case is waiting');
    const { kind, name, ownerUnit, countyName } = candidate;
    return { caseId, kind, name, ownerUnit, countyName };
  });
  return {
    roundId: round.roundId,
    selectedAt: now,
    selectedBy: caller,
    ...(request.opinion ? { opinion: request.opinion } : {}),
    followsRanking: departures.length === 0,
    departures,
    caseIds: [...request.caseIds],
    notSelected: ranking.map((candidate) => candidate.caseId).filter((caseId) => !chosen.has(caseId)),
    items,
    publicityStartsAt: window.startsAt,
    publicityEndsAt: window.endsAt,
    publicityWorkingDays: window.workingDays,
    calendarVersion: window.calendarVersion,
  };
}

/**
 * Resumes each case the selection decided and that still waits: listed → `approve` with the
 * publicity end, otherwise `reject`. Each task closes once (a concurrent call gets 409 on it and
 * skips it); a task whose state timed out is marked expired; a failed resume reopens the task and
 * the error surfaces, so calling again finishes the job.
 */
async function resolveWaitingTasks(selection: SelectionRecord, caller: string): Promise<void> {
  const decided = new Set([...selection.caseIds, ...selection.notSelected]);
  const listed = new Set(selection.caseIds);
  for (const open of await waitingTasks(selection.roundId)) {
    if (!decided.has(open.caseId)) continue; // reached selection after it was made: not ours to decide
    const task = await getTask(open.taskId);
    if (task?.state !== 'OPEN') continue;
    const selected = listed.has(task.caseId);
    await resolveOne(task, selected, selection, caller);
  }
}

async function resolveOne(task: StoredTask, selected: boolean, selection: SelectionRecord, caller: string) {
  const decision = selected ? 'approve' : 'reject';
  try {
    await closeTask(task, {
      state: 'DONE',
      at: selection.selectedAt,
      decision,
      opinion: selection.opinion ?? (selected ? '入选候选名单' : '未入选候选名单'),
      signer: caller,
    });
  } catch (error) {
    if (error instanceof ConflictError) return; // a concurrent call resolved it
    throw error;
  }
  try {
    await resumeTask(
      task.taskToken,
      selected ? { decision, publicityEndsAt: selection.publicityEndsAt } : { decision },
    );
  } catch (error) {
    if (error instanceof ConflictError) {
      await expireClosedTask(task);
      return;
    }
    await reopenTask(task);
    throw error;
  }
  await appendAuditEntry(task.caseId, {
    at: selection.selectedAt,
    status: 'AWAITING_SELECTION',
    actor: { id: caller, role: 'city' },
    action: 'selection',
    note: selected ? 'selected' : 'not-selected',
  });
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((value) => right.has(value));
}
