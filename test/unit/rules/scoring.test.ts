import { describe, expect, it } from 'vitest';
import { getRound } from '#shared/rounds/index';
import { aggregatePanel, scoreSheetDefects, sheetTotal } from '#shared/rules/scoring';

const round = getRound('2021');
if (!round) throw new Error('round 2021 missing');
const rubric = round.rubric.brand;
const full = {
  'brand-management': 20,
  'scale-and-results': 30,
  'distinctiveness-and-influence': 20,
  'rights-and-integrity': 10,
};

describe('a score sheet is checked against the round rubric', () => {
  it('accepts every criterion scored within its maximum', () => {
    expect(scoreSheetDefects(rubric, full)).toEqual([]);
    expect(sheetTotal(rubric, full)).toBe(80);
  });

  it('asks for the scores when there are none', () => {
    expect(scoreSheetDefects(rubric, undefined).map((d) => d.code)).toEqual(['SCORES_REQUIRED']);
  });

  it('names every problem at once: an unknown criterion, a missing one, one over its maximum, a negative one', () => {
    const { 'rights-and-integrity': _dropped, ...partial } = full;
    const defects = scoreSheetDefects(rubric, {
      ...partial,
      'made-up': 5,
      'scale-and-results': 36,
      'brand-management': -1,
    });
    expect(defects.map((d) => [d.path, d.code])).toEqual([
      ['body.scores.made-up', 'UNKNOWN_CRITERION'],
      ['body.scores.brand-management', 'SCORE_OUT_OF_RANGE'],
      ['body.scores.scale-and-results', 'SCORE_OUT_OF_RANGE'],
      ['body.scores.rights-and-integrity', 'CRITERION_MISSING'],
    ]);
  });

  it('accepts the bounds 0 and max, and two decimals but not three', () => {
    expect(scoreSheetDefects(rubric, { ...full, 'brand-management': 0, 'scale-and-results': 35 })).toEqual(
      [],
    );
    expect(scoreSheetDefects(rubric, { ...full, 'brand-management': 12.25 })).toEqual([]);
    expect(scoreSheetDefects(rubric, { ...full, 'brand-management': 12.125 }).map((d) => d.code)).toEqual([
      'SCORE_PRECISION',
    ]);
  });
});

describe('the panel aggregate of a case', () => {
  const sheetWithTotal = (total: number) => ({
    'brand-management': 0,
    'scale-and-results': Math.min(total, 35),
    'distinctiveness-and-influence': Math.min(Math.max(total - 35, 0), 25),
    'rights-and-integrity': Math.max(total - 60, 0),
  });

  it('is the mean of the totals below five experts, with the spread flagged above the round setting', () => {
    const aggregate = aggregatePanel(rubric, [60, 70, 85].map(sheetWithTotal), 20);
    expect(aggregate).toMatchObject({ count: 3, mean: 71.67, trimmedMean: null, total: 71.67, spread: 25 });
    expect(aggregate.spreadFlagged).toBe(true);
    expect(aggregatePanel(rubric, [60, 70, 80].map(sheetWithTotal), 20).spreadFlagged).toBe(false);
  });

  it('drops one highest and one lowest total from five experts on', () => {
    const aggregate = aggregatePanel(rubric, [40, 70, 72, 74, 100].map(sheetWithTotal), 20);
    expect(aggregate).toMatchObject({ count: 5, mean: 71.2, trimmedMean: 72, total: 72, spread: 60 });
  });

  it('keeps the mean per criterion for the record', () => {
    const aggregate = aggregatePanel(rubric, [full, { ...full, 'brand-management': 25 }], 20);
    expect(aggregate.criteria['brand-management']).toBe(22.5);
  });

  it('has no total when nobody scored (every expert timed out)', () => {
    expect(aggregatePanel(rubric, [], 20)).toMatchObject({ count: 0, total: null, spreadFlagged: false });
  });
});
