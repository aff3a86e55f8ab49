import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EVIDENCE_UPLOAD_PREFIX } from '#shared/evidence/keys';
import { compareDeclared } from '#shared/roster/index';
import { checkRoster } from '#shared/roster-processing/check';
import { errorReportKey, ROSTER_REPORTS_PREFIX } from '#shared/roster-processing/keys';
import {
  declaredNumbersFor,
  RosterSlotError,
  rosterKindOfSlot,
  rosterOptionsFor,
} from '#shared/roster-processing/options';
import { PersonKeyCollector } from '#shared/roster-processing/person-keys';
import { ErrorReportFile } from '#shared/roster-processing/report-file';
import { crossCaseSummary, readStoredStats } from '#shared/roster-processing/stats';
import { getRound, type Round } from '#shared/rounds/index';

function round(roundId = '2021'): Round {
  const found = getRound(roundId);
  if (!found) throw new Error(`round ${roundId} missing`);
  return found;
}

const TODAY = new Date('2021-12-01T01:00:00Z');
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
function makeId(body17: string): string {
  const sum = [...body17].reduce((s, d, i) => s + Number(d) * (WEIGHTS[i] as number), 0);
  return body17 + '10X98765432'.charAt(sum % 11);
}

describe('roster options derived from the round and the case', () => {
  it('gives a brand training roster the round year and no transfer window', () => {
    // Act
    const options = rosterOptionsFor(round(), 'brand', 'training-roster', TODAY);

    // Assess
    expect(options).toEqual({ kind: 'training', roundYear: 2021, today: TODAY });
  });

  it('gives a base output roster the window start of the round', () => {
    // Act
    const options = rosterOptionsFor(round(), 'base', 'output-roster', TODAY);

    // Assess
    expect(options).toEqual({
      kind: 'output',
      roundYear: 2021,
      transferredSince: '2020-01-01',
      today: TODAY,
    });
  });

  it('follows the round data, not constants: round 2026 counts its own year', () => {
    // Act + Assess
    expect(rosterOptionsFor(round('2026'), 'brand', 'output-roster', TODAY).roundYear).toBe(
      round('2026').year,
    );
  });

  it('refuses a slot the checklist of the kind does not have', () => {
    // Act + Assess
    expect(() => rosterOptionsFor(round(), 'base', 'training-roster', TODAY)).toThrow(RosterSlotError);
  });

  it('maps slots to roster kinds', () => {
    expect([rosterKindOfSlot('training-roster'), rosterKindOfSlot('output-roster')]).toEqual([
      'training',
      'output',
    ]);
  });
});

describe('numbers declared on the form', () => {
  const brand = { trained: { '2020': 420, '2021': 560 }, output: { '2020': 300, '2021': 350 } };

  it('takes the brand’s round-year training and output counts per slot', () => {
    // Act + Assess
    expect(declaredNumbersFor(round(), 'brand', 'training-roster', brand)).toEqual({ trainedInYear: 560 });
    expect(declaredNumbersFor(round(), 'brand', 'output-roster', brand)).toEqual({ outputInYear: 350 });
  });

  it('sums a base’s output years from the window start through the round year', () => {
    // Act
    const declared = declaredNumbersFor(round(), 'base', 'output-roster', {
      output: { '2019': 900, '2020': 1200, '2021': 1300 },
    });

    // Assess: 2019 is before 2020-01-01
    expect(declared).toEqual({ transferredSinceStart: 2500 });
  });

  it('compares nothing where the draft form leaves a number out or holds garbage', () => {
    // Act + Assess
    expect(declaredNumbersFor(round(), 'brand', 'training-roster', {})).toEqual({});
    expect(declaredNumbersFor(round(), 'brand', 'training-roster', { trained: 'many' })).toEqual({});
    expect(declaredNumbersFor(round(), 'base', 'output-roster', { output: { '2021': 5 } })).toEqual({});
    expect(declaredNumbersFor(round(), 'brand', 'output-roster', null)).toEqual({});
  });

  it('feeds compareDeclared: a roster supporting fewer people than declared is a shortfall', () => {
    // Act
    const differences = compareDeclared(
      {
        rows: 3,
        validRows: 3,
        invalidRows: 0,
        duplicateRows: 0,
        distinctPersons: 3,
        errors: [],
        errorsTotal: 0,
        warnings: [],
        warningsTotal: 0,
        notYetRows: 0,
        notYetEmployed: 0,
        trainedInYear: 3,
      },
      declaredNumbersFor(round(), 'brand', 'training-roster', brand),
    );

    // Assess
    expect(differences).toEqual([
      expect.objectContaining({ metric: 'trainedInYear', declared: 560, verified: 3, kind: 'shortfall' }),
    ]);
  });
});

describe('the shared check path', () => {
  it('verifies with the round’s options: only the round year counts, and issues reach the report file', async () => {
    // Prepare
    const csv = [
      '姓名,身份证号码,结业日期,就业单位,就业日期',
      `甲,${makeId('14102419900101001')},2021-06-30,临汾护理院,2021-07-01`,
      `乙,${makeId('14102419900101002')},2020-06-30,临汾护理院,2020-07-01`,
      `丙,${makeId('14102419900101003').slice(0, 17)}0,2021-06-30,,`,
    ].join('\n');
    const report = new ErrorReportFile();
    const keys = new PersonKeyCollector(1);

    // Act
    const stats = await checkRoster([new TextEncoder().encode(csv)], {
      round: round(),
      caseKind: 'brand',
      slot: 'training-roster',
      today: TODAY,
      onIssue: (issue) => report.add(issue),
      personKeys: { secret: 'x'.repeat(64), onKey: (key) => keys.add(key) },
    });
    const file = report.finish();
    const text = fs.readFileSync(file.path, 'utf8');
    report.discard();

    // Assess
    expect(stats).toMatchObject({
      rows: 3,
      validRows: 2,
      invalidRows: 1,
      trainedInYear: 1,
      employedOfTrained: 1,
    });
    expect(keys.size).toBe(2);
    expect([...keys.keys()].every((key) => /^[A-Za-z0-9_-]{43}$/.test(key))).toBe(true);
    expect(text.startsWith('\ufeff"行号","列","代码","原因"\r\n')).toBe(true);
    expect(file.issues).toBe(1);
    expect(text).not.toMatch(/\d{17}[\dX]/);
    expect(fs.existsSync(file.path)).toBe(false);
  });
});

describe('pipeline helpers', () => {
  it('keeps error reports out of the intake prefix', () => {
    // Act
    const key = errorReportKey({ roundId: '2021', caseId: 'c1', slot: 'training-roster', evidenceId: 'e1' });

    // Assess
    expect(key).toBe(`${ROSTER_REPORTS_PREFIX}2021/c1/training-roster/e1.csv`);
    expect(key.startsWith(EVIDENCE_UPLOAD_PREFIX)).toBe(false);
  });

  it('collects person keys as 32 raw bytes each and gives them back unchanged, growing as needed', () => {
    // Prepare
    const collector = new PersonKeyCollector(1);
    const keys = Array.from({ length: 100 }, (_, i) => Buffer.alloc(32, i).toString('base64url'));

    // Act
    for (const key of keys) collector.add(key);

    // Assess
    expect([...collector.keys()]).toEqual(keys);
    expect(() => collector.add('short')).toThrow(RangeError);
  });

  it('summarises cross-case claims, most shared first', () => {
    // Act + Assess
    expect(
      crossCaseSummary(
        5,
        new Map([
          ['b', 2],
          ['a', 3],
          ['c', 2],
        ]),
      ),
    ).toEqual({
      persons: 5,
      cases: [
        { caseId: 'a', persons: 3 },
        { caseId: 'b', persons: 2 },
        { caseId: 'c', persons: 2 },
      ],
    });
  });

  it('reads stored stats back through a schema, never by cast', () => {
    // Act + Assess
    expect(
      readStoredStats({ rows: 1, validRows: 1, distinctPersons: 1, evidenceId: 'e', outputInYear: 1 }),
    ).toMatchObject({
      outputInYear: 1,
    });
    expect(readStoredStats({ rows: '1' })).toBeUndefined();
    expect(readStoredStats(undefined)).toBeUndefined();
  });
});
