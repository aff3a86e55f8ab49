import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { lazyEnv } from '../config';
import type { PanelAggregate, ScoreSheet } from '../rules/scoring';
import { documentClient } from './dynamo';
import { aggregateSort, caseKey, roundAggregateKey, roundStageKey, scoreSort } from './keys';
import { queryAll, withoutKeys } from './query';

const table = lazyEnv('SCORES_TABLE');

/** The stages that score a case. */
export type ScoreStage = 'onsite-evaluation' | 'expert-review';

/** One score sheet: one item per (case, stage, scorer). */
export interface StoredScore {
  caseId: string;
  roundId: string;
  stage: ScoreStage;
  /** The expert id, or the city inspector's `sub`. */
  scorer: string;
  taskId: string;
  scores: ScoreSheet;
  total: number;
  decision: string;
  comment: string;
  submittedAt: string;
}

export interface StoredAggregate extends PanelAggregate {
  caseId: string;
  roundId: string;
  stage: ScoreStage;
  aggregatedAt: string;
}

/** Writes a score sheet; the same scorer writing again for the same case and stage replaces it. */
export async function putScore(score: StoredScore): Promise<void> {
  await documentClient().send(
    new PutCommand({
      TableName: table(),
      Item: {
        pk: caseKey(score.caseId),
        sk: scoreSort(score.stage, score.scorer),
        entity: 'score',
        ...score,
        roundStageKey: roundStageKey(score.roundId, score.stage),
        roundStageSort: `${score.caseId}#${score.scorer}`,
      },
    }),
  );
}

/** Removes a score sheet whose task did not take effect (the workflow had moved on). */
export async function deleteScore(score: Pick<StoredScore, 'caseId' | 'stage' | 'scorer'>): Promise<void> {
  await documentClient().send(
    new DeleteCommand({
      TableName: table(),
      Key: { pk: caseKey(score.caseId), sk: scoreSort(score.stage, score.scorer) },
    }),
  );
}

/** Every score sheet of a case at a stage. */
export async function listCaseScores(caseId: string, stage: ScoreStage): Promise<StoredScore[]> {
  const items = await queryAll({
    TableName: table(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': caseKey(caseId), ':prefix': scoreSort(stage, '') },
    ConsistentRead: true,
  });
  return items.map((item) => strip(item) as unknown as StoredScore);
}

/** Every score sheet of a round at a stage (the byRoundStage index, never a Scan). */
export async function listRoundScores(roundId: string, stage: ScoreStage): Promise<StoredScore[]> {
  const items = await queryAll({
    TableName: table(),
    IndexName: 'byRoundStage',
    KeyConditionExpression: 'roundStageKey = :key',
    ExpressionAttributeValues: { ':key': roundStageKey(roundId, stage) },
  });
  return items.map((item) => strip(item) as unknown as StoredScore);
}

/** Stores the stage's aggregate of a case; aggregating again replaces it. */
export async function putAggregate(aggregate: StoredAggregate): Promise<void> {
  await documentClient().send(
    new PutCommand({
      TableName: table(),
      Item: {
        pk: caseKey(aggregate.caseId),
        sk: aggregateSort(aggregate.stage),
        entity: 'aggregate',
        ...aggregate,
        roundStageKey: roundAggregateKey(aggregate.roundId, aggregate.stage),
        roundStageSort: aggregate.caseId,
      },
    }),
  );
}

/** The aggregates of a round at a stage, one per case. */
export async function listRoundAggregates(roundId: string, stage: ScoreStage): Promise<StoredAggregate[]> {
  const items = await queryAll({
    TableName: table(),
    IndexName: 'byRoundStage',
    KeyConditionExpression: 'roundStageKey = :key',
    ExpressionAttributeValues: { ':key': roundAggregateKey(roundId, stage) },
  });
  return items.map((item) => strip(item) as unknown as StoredAggregate);
}

function strip(item: Record<string, unknown>): Record<string, unknown> {
  return withoutKeys(item, ['roundStageKey', 'roundStageSort']);
}
