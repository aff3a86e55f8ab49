import type { ErrorDetail } from '../errors';
import type { RubricCriterion } from '../rounds/schema';

/**
 * Scoring against a round's rubric (实地考评, 集中评审): a score sheet gives every criterion of the
 * case's kind a number between 0 and the criterion's maximum; the panel's sheets are aggregated per
 * case. Pure functions: no storage, no clock.
 */

export type ScoreSheet = Readonly<Record<string, number>>;

/** Points are kept to two decimals so sums and means compare exactly. */
export const roundPoints = (value: number) => Math.round(value * 100) / 100;

/**
 * Every problem of a score sheet at once (API.md: keyed by the rubric's `criterionId`s, each between 0
 * and its `max`): unknown criteria, missing criteria, values out of range. Empty when it is complete.
 */
export function scoreSheetDefects(
  rubric: readonly RubricCriterion[],
  scores: ScoreSheet | undefined,
  path = 'body.scores',
): ErrorDetail[] {
  if (!scores) {
    return [{ path, code: 'SCORES_REQUIRED', message: `请按评分细则逐项打分（${rubric.length} 项）` }];
  }
  const defects: ErrorDetail[] = [];
  const known = new Map(rubric.map((criterion) => [criterion.criterionId, criterion]));
  for (const id of Object.keys(scores)) {
    if (!known.has(id)) {
      defects.push({ path: `${path}.${id}`, code: 'UNKNOWN_CRITERION', message: `评分细则中没有“${id}”` });
    }
  }
  for (const criterion of rubric) {
    const value = scores[criterion.criterionId];
    const at = `${path}.${criterion.criterionId}`;
    if (value === undefined) {
      defects.push({ path: at, code: 'CRITERION_MISSING', message: `缺少“${criterion.title}”的得分` });
    } else if (!Number.isFinite(value) || value < 0 || value > criterion.max) {
      defects.push({
        path: at,
        code: 'SCORE_OUT_OF_RANGE',
        message: `“${criterion.title}”的得分应在 0 至 ${criterion.max} 之间`,
      });
    } else if (roundPoints(value) !== value) {
      defects.push({ path: at, code: 'SCORE_PRECISION', message: '得分最多保留两位小数' });
    }
  }
  return defects;
}

/** The total of a complete score sheet. */
export function sheetTotal(rubric: readonly RubricCriterion[], scores: ScoreSheet): number {
  return roundPoints(rubric.reduce((sum, criterion) => sum + (scores[criterion.criterionId] ?? 0), 0));
}

/** A panel of at least this many experts drops its highest and lowest total (去掉一个最高分和一个最低分). */
export const TRIM_FROM_PANEL_SIZE = 5;

export interface PanelAggregate {
  /** Experts whose sheet counts. */
  count: number;
  /** Arithmetic mean of the totals; null when nobody scored. */
  mean: number | null;
  /** Mean without one highest and one lowest total, from five experts up; otherwise null. */
  trimmedMean: number | null;
  /** The figure the ranking uses: the trimmed mean when there is one, else the mean. */
  total: number | null;
  /** Highest minus lowest total. */
  spread: number;
  /** The spread exceeds the round's `scoreSpreadFlag`: the panel should discuss the case. */
  spreadFlagged: boolean;
  /** Mean per criterion, for the record. */
  criteria: Record<string, number>;
}

/** Aggregates the panel's sheets of one case (mean; trimmed mean from five; spread flag). */
export function aggregatePanel(
  rubric: readonly RubricCriterion[],
  sheets: readonly ScoreSheet[],
  scoreSpreadFlag: number,
): PanelAggregate {
  const totals = sheets.map((sheet) => sheetTotal(rubric, sheet)).sort((a, b) => a - b);
  const count = totals.length;
  if (count === 0) {
    return {
      count,
      mean: null,
      trimmedMean: null,
      total: null,
      spread: 0,
      spreadFlagged: false,
      criteria: {},
    };
  }
  const mean = roundPoints(totals.reduce((sum, t) => sum + t, 0) / count);
  const trimmed = count >= TRIM_FROM_PANEL_SIZE ? totals.slice(1, -1) : null;
  const trimmedMean = trimmed ? roundPoints(trimmed.reduce((sum, t) => sum + t, 0) / trimmed.length) : null;
  const spread = roundPoints((totals.at(-1) ?? 0) - (totals[0] ?? 0));
  const criteria = Object.fromEntries(
    rubric.map((criterion) => [
      criterion.criterionId,
      roundPoints(sheets.reduce((sum, sheet) => sum + (sheet[criterion.criterionId] ?? 0), 0) / count),
    ]),
  );
  return {
    count,
    mean,
    trimmedMean,
    total: trimmedMean ?? mean,
    spread,
    spreadFlagged: spread > scoreSpreadFlag,
    criteria,
  };
}
