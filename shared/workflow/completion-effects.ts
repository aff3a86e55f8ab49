import type { CaseHead } from '../cases/model';
import type { Round } from '../rounds/schema';
import type { ScoreSheet } from '../rules/scoring';
import { sheetTotal } from '../rules/scoring';
import type { StoredTask } from '../store/cases-repository';
import {
  deleteRecommendation,
  listObjections,
  putRecommendation,
  reopenObjections,
  resolveObjections,
} from '../store/rounds-repository';
import { deleteScore, putScore } from '../store/scores-repository';
import type { Decision } from './decisions';

/**
 * What completing a task writes besides the task itself: the score sheet of an evaluation, the
 * county's recommendation for the dashboard, the objections an objection review decides. Written
 * after the task is closed and before the workflow resumes; undone if the workflow does not take
 * the decision, so a completion either has all its effects or none.
 */
export interface CompletionEffects {
  /** The score sheet total, for scored tasks. */
  total?: number;
  undo(): Promise<void>;
}

export interface Completion {
  task: StoredTask;
  head: CaseHead;
  round: Round;
  decision: Decision;
  opinion: string;
  scores?: ScoreSheet;
  signer: string;
  at: string;
}

export async function applyCompletionEffects(completion: Completion): Promise<CompletionEffects> {
  const { task, head, round, decision, opinion, scores, signer, at } = completion;
  switch (task.type) {
    case 'onsite-evaluation':
    case 'expert-review': {
      if (!scores) throw new Error(`a ${task.type} completion needs its scores`);
      const stage = task.type;
      // An expert scores as the expert the task is assigned to; the city as its inspector.
      const scorer = stage === 'expert-review' ? task.assigneeGroup.slice('expert#'.length) : signer;
      const total = sheetTotal(round.rubric[head.kind], scores);
      await putScore({
        caseId: head.caseId,
        roundId: head.roundId,
        stage,
        scorer,
        taskId: task.taskId,
        scores,
        total,
        decision,
        comment: opinion,
        submittedAt: at,
      });
      return { total, undo: () => deleteScore({ caseId: head.caseId, stage, scorer }) };
    }
    case 'county-review': {
      if (decision !== 'approve' || !head.countyCode) return { undo: async () => undefined };
      const countyCode = head.countyCode;
      await putRecommendation(head.roundId, countyCode, head.caseId, at);
      return { undo: () => deleteRecommendation(head.roundId, countyCode, head.caseId) };
    }
    case 'objection-review': {
      const open = (await listObjections(head.caseId)).filter((objection) => objection.state === 'OPEN');
      const changed = await resolveObjections(
        head.caseId,
        open.map((objection) => objection.objectionId),
        { state: decision === 'approve' ? 'DISMISSED' : 'UPHELD', at, by: signer },
      );
      return { undo: () => reopenObjections(head.caseId, changed) };
    }
    default:
      return { undo: async () => undefined };
  }
}
