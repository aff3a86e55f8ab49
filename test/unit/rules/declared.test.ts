import { describe, expect, it } from 'vitest';
import { getRound, type Round } from '#shared/rounds/index';
import { declaredExcessDefects, declaredVersusVerified } from '#shared/rules/declared';

function round2021(overrides: Partial<Round> = {}): Round {
  const round = getRound('2021');
  if (!round) throw new Error('round 2021 missing');
  return { ...round, ...overrides };
}

const stored = (numbers: Record<string, number>) => ({
  rows: 1000,
  validRows: 1000,
  distinctPersons: 1000,
  evidenceId: 'e1',
  ...numbers,
});

const brandForm = { trained: { '2019': 500, '2020': 520, '2021': 600 }, output: { '2021': 350 } };
const brandRosters = {
  'training-roster': stored({ trainedInYear: 578, employedOfTrained: 420, employmentRate: 420 / 578 }),
  'output-roster': stored({ outputInYear: 350 }),
};

describe('declared vs verified figures (issue 13, item 3)', () => {
  it('names both numbers where the form declares more trained people than the roster verifies', () => {
    expect(declaredExcessDefects(round2021(), 'brand', brandForm, brandRosters)).toEqual([
      {
        path: 'rosters.training-roster.trainedInYear',
        code: 'DECLARED_EXCEEDS_VERIFIED',
        message: '申报表填报培训人数 600 人，花名册核实 578 人',
      },
    ]);
  });

  it('lets a declared figure exceed the verified one by the round tolerance, not more', () => {
    expect(
      declaredExcessDefects(round2021({ declaredTolerance: 22 }), 'brand', brandForm, brandRosters),
    ).toEqual([]);
    expect(
      declaredExcessDefects(round2021({ declaredTolerance: 21 }), 'brand', brandForm, brandRosters),
    ).toHaveLength(1);
  });

  it('does not flag a roster that verifies more than declared, nor a figure not yet verified', () => {
    const form = { trained: { '2021': 500 }, output: { '2021': 400 } };
    expect(
      declaredExcessDefects(round2021(), 'brand', form, {
        'training-roster': brandRosters['training-roster'],
      }),
    ).toEqual([]);
  });

  it('compares a base form’s output summed over the transfer window with the verified transfers', () => {
    const form = { output: { '2020': 400, '2021': 300 } };
    const rosters = { 'output-roster': stored({ transferredSinceStart: 650, outputInYear: 300 }) };

    const defects = declaredExcessDefects(round2021(), 'base', form, rosters);

    expect(defects.map((d) => d.message)).toEqual([
      '申报表填报转移输出人数（2020–2021年合计） 700 人，花名册核实 650 人',
    ]);
  });

  it('lays the figures side by side, unknown ones as null', () => {
    expect(
      declaredVersusVerified(round2021(), 'brand', brandForm, {
        'output-roster': stored({ outputInYear: 340 }),
      }),
    ).toEqual([
      {
        slot: 'training-roster',
        metric: 'trainedInYear',
        label: '培训人数',
        declared: 600,
        verified: null,
        excess: null,
      },
      {
        slot: 'output-roster',
        metric: 'outputInYear',
        label: '输出人数',
        declared: 350,
        verified: 340,
        excess: 10,
      },
    ]);
  });
});
