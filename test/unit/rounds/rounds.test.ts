import { describe, expect, it } from 'vitest';
import { round2021 } from '#shared/rounds/2021';
import { round2026 } from '#shared/rounds/2026';
import {
  checklistFor,
  findCounty,
  getRound,
  isPastDeadline,
  listRounds,
  loadRound,
  publicRoundView,
} from '#shared/rounds/index';
import { type RoundInput, roundSchema } from '#shared/rounds/schema';

/** A deep copy of the 2021 round with one change applied, for breaking it on purpose. */
function broken(change: (round: RoundInput) => void): RoundInput {
  const copy = structuredClone(round2021);
  change(copy);
  return copy;
}

function mustGet(roundId: string) {
  const round = getRound(roundId);
  if (!round) throw new Error(`round ${roundId} missing`);
  return round;
}

describe('round data', () => {
  it.each([
    ['2021', round2021],
    ['2026', round2026],
  ])('round %s passes the round schema', (_id, data) => {
    // Act
    const result = roundSchema.safeParse(data);

    // Assess
    expect(result.error).toBeUndefined();
  });

  it('carries the 17 Linfen counties, 7 plain and 10 mountain', () => {
    // Act
    const round = mustGet('2021');

    // Assess
    expect(round.counties).toHaveLength(17);
    expect(round.counties.filter((c) => c.terrain === 'plain')).toHaveLength(7);
    expect(findCounty(round, '141034')).toEqual({ code: '141034', name: '汾西县', terrain: 'mountain' });
  });

  it('sets the 2021 thresholds of the notice', () => {
    // Act
    const round = mustGet('2021');

    // Assess
    expect(round.thresholds).toEqual({
      brand: { trainedMin: 500, employmentRateMin: 0.3, outputMin: 300 },
      base: { transferredMin: 2000, transferredSince: '2020-01-01' },
    });
  });

  it('shifts the 2026 form years and transfer start by five years', () => {
    // Act
    const round = mustGet('2026');

    // Assess
    expect(round.formYears).toEqual({ brand: [2025, 2026], base: [2024, 2025, 2026] });
    expect(round.thresholds.base.transferredSince).toBe('2025-01-01');
    expect(round.deadline).toBe('2026-12-31T00:00:00+08:00');
  });

  it('gives every rubric 100 points in total', () => {
    // Act
    const totals = listRounds().flatMap((r) =>
      [r.rubric.brand, r.rubric.base].map((c) => c.reduce((s, x) => s + x.max, 0)),
    );

    // Assess
    expect(totals).toEqual([100, 100, 100, 100]);
  });
});

describe('roundSchema rejects a broken round', () => {
  it.each([
    ['an unknown key', (r: RoundInput) => Object.assign(r, { deadlne: '2021-12-31T00:00:00+08:00' })],
    [
      'an unknown key inside thresholds',
      (r: RoundInput) => Object.assign(r.thresholds.brand, { trainedMn: 1 }),
    ],
    [
      'a deadline without the +08:00 offset',
      (r: RoundInput) => Object.assign(r, { deadline: '2021-12-31T00:00:00Z' }),
    ],
    ['a rubric that does not total 100', (r: RoundInput) => r.rubric.brand.pop()],
    [
      'a duplicate slot',
      (r: RoundInput) =>
        r.checklist.base.push({
          slot: 'other',
          title: '其他材料',
          required: false,
          accepts: ['application/pdf'],
          maxBytes: 1,
        }),
    ],
    [
      'an unknown content type',
      (r: RoundInput) => Object.assign(r.checklist.brand[0] ?? {}, { accepts: ['application/zip'] }),
    ],
    [
      'form years that end before the round year',
      (r: RoundInput) => Object.assign(r.formYears, { brand: [2019, 2020] }),
    ],
    [
      'a county with a 4-digit code',
      (r: RoundInput) => r.counties.push({ code: '1410', name: '某县', terrain: 'plain' }),
    ],
    [
      'a terrain other than plain or mountain',
      (r: RoundInput) => Object.assign(r.counties[0] ?? {}, { terrain: 'hill' }),
    ],
    ['a missing review duration', (r: RoundInput) => Reflect.deleteProperty(r.reviewDays, 'supplement')],
    ['a fractional threshold', (r: RoundInput) => Object.assign(r.thresholds.brand, { trainedMin: 499.5 })],
    [
      'an employment rate above 1',
      (r: RoundInput) => Object.assign(r.thresholds.brand, { employmentRateMin: 30 }),
    ],
    ['an empty panel', (r: RoundInput) => Object.assign(r, { panel: [] })],
  ])('with %s', (_what, change) => {
    // Prepare
    const data = broken(change);

    // Act
    const result = roundSchema.safeParse(data);

    // Assess
    expect(result.success).toBe(false);
  });

  it('loadRound throws naming the round and the problem', () => {
    // Prepare
    const data = broken((r) => {
      r.rubric.base.pop();
    });

    // Act
    const load = () => loadRound(data);

    // Assess
    expect(load).toThrow(/Round 2021 configuration is invalid[\s\S]*total 100/);
  });
});

describe('registry', () => {
  it('finds a round by id and knows nothing of others', () => {
    // Act
    const found = [getRound('2021')?.year, getRound('2026')?.year, getRound('2020')];

    // Assess
    expect(found).toEqual([2021, 2026, undefined]);
  });

  it('lists the rounds oldest first', () => {
    // Act
    const ids = listRounds().map((r) => r.roundId);

    // Assess
    expect(ids).toEqual(['2021', '2026']);
  });

  it('hands out rounds that cannot be changed by a caller', () => {
    // Prepare
    const round = mustGet('2021');

    // Act
    const change = () => {
      (round.thresholds.brand as { trainedMin: number }).trainedMin = 1;
    };

    // Assess
    expect(change).toThrow(TypeError);
    expect(mustGet('2021').thresholds.brand.trainedMin).toBe(500);
  });

  it('gives the checklist of the kind asked for', () => {
    // Act
    const slots = checklistFor(mustGet('2021'), 'base').map((s) => s.slot);

    // Assess
    expect(slots).toEqual([
      'application-form',
      'qualification',
      'cooperation-agreement',
      'output-roster',
      'other',
    ]);
  });
});

describe('isPastDeadline', () => {
  it('treats 30 December 23:59:59 in Linfen as in time and midnight as late', () => {
    // Prepare
    const round = mustGet('2021');

    // Act
    const results = [
      isPastDeadline(round, new Date('2021-12-30T23:59:59+08:00')),
      isPastDeadline(round, new Date('2021-12-30T16:00:00Z')),
    ];

    // Assess
    expect(results).toEqual([false, true]);
  });
});

describe('publicRoundView', () => {
  it('has exactly the fields of the public contract plus title and form years', () => {
    // Act
    const view = publicRoundView(mustGet('2021'));

    // Assess
    expect(Object.keys(view).sort()).toEqual(
      [
        'roundId',
        'title',
        'kinds',
        'thresholds',
        'deadline',
        'publicityWorkingDays',
        'counties',
        'formYears',
        'checklist',
        'rubric',
        'panel',
      ].sort(),
    );
  });

  it('lists each slot with its title, whether it is required, the types it accepts and its size limit', () => {
    // Act
    const view = publicRoundView(mustGet('2021'));

    // Assess
    expect(view.checklist.brand.find((s) => s.slot === 'training-roster')).toEqual({
      slot: 'training-roster',
      title: '培训花名册',
      required: true,
      accepts: ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
      maxBytes: 100 * 1024 * 1024,
    });
    expect(view.checklist.base.find((s) => s.slot === 'other')?.required).toBe(false);
  });

  it('gives the panel as expert ids and the rubric per kind', () => {
    // Act
    const view = publicRoundView(mustGet('2021'));

    // Assess
    expect(view.panel).toEqual(['expert-01', 'expert-02', 'expert-03']);
    expect(view.rubric.base.map((c) => c.criterionId)).toEqual([
      'recognition-status',
      'cooperation-stability',
      'services-three-in-one',
      'transfer-scale-and-poverty-effect',
    ]);
  });

  it('leaves internal settings out', () => {
    // Act
    const view = publicRoundView(mustGet('2021'));

    // Assess
    expect(view).not.toHaveProperty('rewardYuan');
    expect(view).not.toHaveProperty('reviewDays');
    expect(view).not.toHaveProperty('creditCodeTolerant');
  });

  it('survives JSON serialisation unchanged', () => {
    // Prepare
    const view = publicRoundView(mustGet('2026'));

    // Act
    const roundTripped = JSON.parse(JSON.stringify(view));

    // Assess
    expect(roundTripped).toEqual(view);
  });
});
