import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { compareDeclared } from '#shared/roster/index';
import { codesOf, csv, makeId, OUTPUT_HEADER, verifyText, withWrongCheck } from './helpers';

const A = makeId('141024', '19900101', '101');
const B = makeId('141002', '19850505', '202');
const C = makeId('142601', '19791231', '303');
const D = makeId('410102', '20000229', '404');
const E = makeId('141081', '19951010', '505');
const F = makeId('141082', '19880808', '606');
const G = makeId('610102', '19700101', '707');
const H = makeId('130102', '19660606', '808');

/** Rows 2–13; the comments are the hand computation the assertions repeat. */
const TRAINING = csv(
  '姓名,身份证号码,联系电话,结业日期,就业单位,就业日期',
  `甲,${A},13800000001,2021-03-05,甲公司,2021-04-01`, // 2: A trained + employed
  `乙,${B},,2021-06-01,,`, // 3: B trained
  `丙,${C},,2020-12-31,丙公司,2021-01-10`, // 4: C, 2020: not trained in 2021
  `甲,${A},,2021-07-01,,`, // 5: duplicate of A
  `丁,${D},,2021-12-31,丁公司,`, // 6: D trained; employer without date: not employed
  `戊,${withWrongCheck(E)},,2021-05-05,,`, // 7: invalid (check character)
  `己,${F},,2021-13-01,,`, // 8: invalid (date)
  `庚,${G},,2021-08-08,庚公司,2022-07-01`, // 9: G trained; employment date in the future
  `丙,${C},,2021-02-02,丙公司,2021-03-03`, // 10: duplicate of C, now trained + employed in 2021
  ',,,,,', // 11: blank
  `辛,${H},,2022-01-05,辛公司,2022-02-01`, // 12: H valid, 2022
  `乙,${B},,2021-09-09,乙公司,2021-10-10`, // 13: duplicate of B, employed
);

describe('roster numbers', () => {
  it('counts a hand-computed training roster', async () => {
    // Act
    const stats = await verifyText(TRAINING);

    // Assess
    expect(stats).toMatchObject({
      rows: 11,
      validRows: 9,
      invalidRows: 2,
      duplicateRows: 3,
      distinctPersons: 6,
      trainedInYear: 5,
      employedOfTrained: 3,
      employmentRate: 0.6,
      notYetRows: 0,
      notYetEmployed: 1,
      warningsTotal: 1,
    });
    expect(stats).not.toHaveProperty('outputInYear');
  });

  it('names every finding of the training roster with its row', async () => {
    const stats = await verifyText(TRAINING);

    expect(stats.errors.map((e) => `${e.row}:${e.code}`)).toEqual([
      '5:ID_DUPLICATE',
      '6:EMPLOYMENT_INCOMPLETE',
      '7:ID_CHECKSUM',
      '8:DATE_INVALID',
      '10:ID_DUPLICATE',
      '13:ID_DUPLICATE',
    ]);
    // An employment date after the verification day is a warning, not an error.
    expect(stats.warnings.map((e) => `${e.row}:${e.code}`)).toEqual(['9:EMPLOYMENT_NOT_YET']);
  });

  it('points a duplicate at the row where the ID first appeared', async () => {
    const stats = await verifyText(TRAINING);

    expect(stats.errors.find((e) => e.row === 13)?.message).toBe('与第 3 行的身份证号码重复');
  });

  it('counts a hand-computed output roster for a base (transfers since 2020-01-01)', async () => {
    // Prepare
    const text = csv(
      OUTPUT_HEADER,
      `甲,${A},2021-03-01,某公司,上海`, // 2: A output 2021, transferred
      `乙,${B},2020-05-05,某公司,`, // 3: B transferred
      `丙,${C},2019-12-31,某公司,`, // 4: C before the window
      `甲,${A},2020-01-01,某公司,`, // 5: duplicate
      `丁,${D},2022-01-01,某公司,`, // 6: D after the round year
      `戊,${E},20200101,某公司,`, // 7: E transferred
      `丙,${C},2021-12-31,某公司,`, // 8: duplicate; C output 2021, transferred
    );

    // Act
    const stats = await verifyText(text, { kind: 'output', transferredSince: '2020-01-01' });

    // Assess
    expect(stats).toMatchObject({
      rows: 7,
      validRows: 7,
      duplicateRows: 2,
      distinctPersons: 5,
      outputInYear: 2,
      transferredSinceStart: 4,
    });
  });

  it('leaves transferredSinceStart out when no window is given', async () => {
    const stats = await verifyText(csv(OUTPUT_HEADER, `甲,${A},2021-03-01,某公司,`), { kind: 'output' });

    expect(stats).toMatchObject({ outputInYear: 1 });
    expect(stats).not.toHaveProperty('transferredSinceStart');
  });

  it('reports an output row without an employer but keeps it valid', async () => {
    const stats = await verifyText(csv(OUTPUT_HEADER, `甲,${A},2021-03-01,,`), { kind: 'output' });

    expect(stats).toMatchObject({ validRows: 1, outputInYear: 1 });
    expect(codesOf(stats)).toEqual(['EMPLOYER_MISSING']);
  });

  it('reports an invalid mobile number without invalidating the row', async () => {
    const text = csv(
      '姓名,身份证号码,手机号码,结业日期,就业单位,就业日期',
      `甲,${A},1381234567,2021-03-05,,`,
      `乙,${B},+86 138-1234-5678,2021-03-05,,`,
    );

    const stats = await verifyText(text);

    expect(stats).toMatchObject({ validRows: 2 });
    expect(stats.errors.map((e) => `${e.row}:${e.code}`)).toEqual(['2:PHONE_INVALID']);
  });

  it.each(['12812345678', '0357-2012345', '1.38123E+10', '１３８１２３４５６７８x'])(
    'refuses %s as a mobile number',
    async (phone) => {
      const stats = await verifyText(
        csv('姓名,身份证号码,手机号码,结业日期,就业单位,就业日期', `甲,${A},${phone},2021-03-05,,`),
      );

      expect(codesOf(stats)).toEqual(['PHONE_INVALID']);
    },
  );

  it('accepts a full-width mobile number', async () => {
    const stats = await verifyText(
      csv(
        '姓名,身份证号码,手机号码,结业日期,就业单位,就业日期',
        `甲,${A},１３８１２３４５６７８,2021-03-05,,`,
      ),
    );

    expect(stats.errors).toEqual([]);
  });

  it('reports a missing name without invalidating the row', async () => {
    const stats = await verifyText(csv('姓名,身份证号码,结业日期,就业单位,就业日期', `,${A},2021-03-05,,`));

    expect(stats.validRows).toBe(1);
    expect(codesOf(stats)).toEqual(['NAME_MISSING']);
  });

  it('reports a training start after the completion date', async () => {
    const stats = await verifyText(
      csv('姓名,身份证号码,培训开始日期,结业日期,就业单位,就业日期', `甲,${A},2021-04-01,2021-03-05,,`),
    );

    expect(codesOf(stats)).toEqual(['DATE_ORDER']);
  });

  it('treats an ID written with lowercase x and full-width digits as the same person', async () => {
    const id = makeId('110105', '19491231', '002');
    const fullWidth = [...id.toLowerCase()]
      .map((c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0))
      .join('');

    const stats = await verifyText(
      csv(
        '姓名,身份证号码,结业日期,就业单位,就业日期',
        `甲,${id},2021-03-05,,`,
        `甲,${fullWidth},2021-03-05,,`,
      ),
    );

    expect(stats).toMatchObject({ validRows: 2, duplicateRows: 1, distinctPersons: 1 });
  });
});

describe('roster person keys', () => {
  it('emits one HMAC per distinct valid ID and never the ID itself', async () => {
    // Prepare
    const keys: { key: string; row: number }[] = [];

    // Act
    await verifyText(TRAINING, { personKeys: { secret: 'k', onKey: (key, row) => keys.push({ key, row }) } });

    // Assess
    const expected = [A, B, C, D, G, H].map((id) => createHmac('sha256', 'k').update(id).digest('base64url'));
    expect(keys.map((k) => k.key)).toEqual(expected);
    expect(keys.map((k) => k.row)).toEqual([2, 3, 4, 6, 9, 12]);
    expect(JSON.stringify(keys)).not.toContain(A.slice(6, 14));
  });

  it('keys an ID with a lowercase x like its uppercase form', async () => {
    const id = makeId('110105', '19491231', '002');
    const keys: string[] = [];

    await verifyText(
      csv('姓名,身份证号码,结业日期,就业单位,就业日期', `甲,${id.toLowerCase()},2021-03-05,,`),
      {
        personKeys: { secret: 'k', onKey: (key) => keys.push(key) },
      },
    );

    expect(id.endsWith('X')).toBe(true);
    expect(keys).toEqual([createHmac('sha256', 'k').update(id).digest('base64url')]);
  });

  it('matches createHmac for a secret longer than the SHA-256 block', async () => {
    const secret = new Uint8Array(100).map((_, i) => i * 7);
    const keys: string[] = [];

    await verifyText(csv('姓名,身份证号码,结业日期,就业单位,就业日期', `甲,${A},2021-03-05,,`), {
      personKeys: { secret, onKey: (key) => keys.push(key) },
    });

    expect(keys).toEqual([createHmac('sha256', secret).update(A).digest('base64url')]);
  });

  it('emits nothing unless asked', async () => {
    const stats = await verifyText(TRAINING);

    expect(stats.distinctPersons).toBe(6);
  });
});

describe('compareDeclared', () => {
  it('flags a declared training count the roster does not bear out', async () => {
    // Prepare
    const stats = await verifyText(TRAINING);

    // Act
    const differences = compareDeclared(stats, {
      trainedInYear: 500,
      employmentRate: 0.6,
      outputInYear: 300,
    });

    // Assess: the rate matches; output is not measured by a training roster.
    expect(differences).toEqual([
      {
        metric: 'trainedInYear',
        declared: 500,
        verified: 5,
        difference: -495,
        kind: 'shortfall',
        message: '年度培训人数：申报 500，花名册核实 5（少于申报）',
      },
    ]);
  });

  it('flags a rate outside half a percentage point and an excess', () => {
    const stats = {
      rows: 0,
      validRows: 0,
      invalidRows: 0,
      duplicateRows: 0,
      distinctPersons: 0,
      errors: [],
      errorsTotal: 0,
      warnings: [],
      warningsTotal: 0,
      notYetRows: 0,
      notYetEmployed: 0,
    };

    const differences = compareDeclared(
      { ...stats, trainedInYear: 10, employmentRate: 0.3 },
      { trainedInYear: 8, employmentRate: 0.31 },
    );

    expect(differences.map((d) => `${d.metric}:${d.kind}`)).toEqual([
      'trainedInYear:excess',
      'employmentRate:shortfall',
    ]);
  });

  it('accepts a rate within rounding', () => {
    const stats = {
      rows: 0,
      validRows: 0,
      invalidRows: 0,
      duplicateRows: 0,
      distinctPersons: 0,
      errors: [],
      errorsTotal: 0,
      warnings: [],
      warningsTotal: 0,
      notYetRows: 0,
      notYetEmployed: 0,
    };

    expect(compareDeclared({ ...stats, employmentRate: 0.3333 }, { employmentRate: 0.33 })).toEqual([]);
  });
});
