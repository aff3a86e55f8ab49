import { describe, expect, it } from 'vitest';
import { DATE_EMPTY, DATE_UNREADABLE, parseDateText, serialToDateCode } from '#shared/roster/dates';
import { codesOf, csv, makeId, verifyText } from './helpers';

describe('roster dates', () => {
  it.each([
    ['2021-03-05', 20210305],
    ['2021-3-5', 20210305],
    ['2021/3/5', 20210305],
    ['2021/03/05', 20210305],
    ['2021.3.5', 20210305],
    ['2021年3月5日', 20210305],
    ['2021 年 03 月 05 日', 20210305],
    ['2021年3月5号', 20210305],
    ['20210305', 20210305],
    ['44260', 20210305],
    ['44260.75', 20210305],
    ['2021/3/5 0:00:00', 20210305],
    ['2021-03-05T08:00:00', 20210305],
    ['２０２１－０３－０５', 20210305],
    ['２０２１年３月５日', 20210305],
  ])('reads %s', (text, expected) => {
    expect(parseDateText(text)).toBe(expected);
  });

  it.each([
    '2021-02-30',
    '2021-13-01',
    '20211301',
    '2021',
    '2021-03',
    '3/5/2021',
    '昨天',
    '1899-12-31',
    '12345',
    '2021-03-05x',
  ])('refuses %s as unreadable', (text) => {
    expect(parseDateText(text)).toBe(DATE_UNREADABLE);
  });

  it('tells an empty cell from an unreadable one', () => {
    expect(parseDateText('  ')).toBe(DATE_EMPTY);
  });

  it('reads Excel serials past the fictitious 1900-02-29 and in the 1904 system', () => {
    expect(serialToDateCode(36526)).toBe(20000101);
    expect(serialToDateCode(36526 - 1462, true)).toBe(20000101);
  });

  it('accepts every date form in a roster row and counts them in the round year', async () => {
    // Prepare
    const forms = ['2021-03-05', '2021/3/5', '2021年3月5日', '20210305', '44260'];
    const lines = forms.map(
      (d, i) => `张三,${makeId('141024', '19900101', String(100 + i))},${d},某公司,${d}`,
    );

    // Act
    const stats = await verifyText(csv('姓名,身份证号码,结业日期,就业单位,就业日期', ...lines));

    // Assess
    expect(stats).toMatchObject({ validRows: 5, trainedInYear: 5, employedOfTrained: 5, errors: [] });
  });

  it('makes a row with an unreadable key date invalid with DATE_INVALID', async () => {
    const stats = await verifyText(
      csv(
        '姓名,身份证号码,结业日期,就业单位,就业日期',
        `张三,${makeId('141024', '19900101', '100')},2021-02-30,,`,
      ),
    );

    expect(stats).toMatchObject({ invalidRows: 1, validRows: 0 });
    expect(codesOf(stats)).toEqual(['DATE_INVALID']);
  });

  it('makes a row with a missing key date invalid with DATE_MISSING', async () => {
    const stats = await verifyText(
      csv('姓名,身份证号码,结业日期,就业单位,就业日期', `张三,${makeId('141024', '19900101', '100')},,,`),
    );

    expect(codesOf(stats)).toEqual(['DATE_MISSING']);
    expect(stats.invalidRows).toBe(1);
  });

  it('keeps a row whose key date is after the verification day valid but not counted (尚未发生，不计入)', async () => {
    // Prepare: verified on 2022-06-01 (China), round year 2022 in these options.
    const text = csv(
      '姓名,身份证号码,结业日期,就业单位,就业日期',
      `张三,${makeId('141024', '19900101', '100')},2022-06-02,某公司,2022-06-03`,
      `李四,${makeId('141024', '19900101', '200')},2022-03-01,某公司,2022-06-08`,
      `王五,${makeId('141024', '19900101', '300')},2022-06-01,某公司,2022-06-01`,
    );

    // Act
    const stats = await verifyText(text, { roundYear: 2022 });

    // Assess: 张三 valid, not trained (not yet); 李四 trained, not yet employed; 王五 both, on the day.
    expect(stats).toMatchObject({
      validRows: 3,
      invalidRows: 0,
      distinctPersons: 3,
      trainedInYear: 2,
      employedOfTrained: 1,
      notYetRows: 1,
      notYetEmployed: 2,
      errorsTotal: 0,
      warningsTotal: 3,
    });
    expect(stats.errors).toEqual([]);
    expect(stats.warnings.map((w) => `${w.row}:${w.code}`)).toEqual([
      '2:DATE_NOT_YET',
      '2:EMPLOYMENT_NOT_YET',
      '3:EMPLOYMENT_NOT_YET',
    ]);
    expect(stats.warnings[0]?.message).toBe('结业日期 2022-06-02 晚于核实日期 2022-06-01，尚未发生，不计入');
  });

  it('does not count an output row dated after the verification day, in the year or the window', async () => {
    const text = csv(
      '姓名,身份证号码,输出日期,就业单位',
      `张三,${makeId('141024', '19900101', '100')},2022-06-02,某公司`,
      `李四,${makeId('141024', '19900101', '200')},2022-05-01,某公司`,
    );

    const stats = await verifyText(text, { kind: 'output', roundYear: 2022, transferredSince: '2020-01-01' });

    expect(stats).toMatchObject({ validRows: 2, outputInYear: 1, transferredSinceStart: 1, notYetRows: 1 });
    expect(stats.warnings.map((w) => w.code)).toEqual(['DATE_NOT_YET']);
    expect(stats.warnings[0]?.message).toContain('输出日期 2022-06-02');
  });

  it('does not leak an ID typed into a date column through the message', async () => {
    const id = makeId('141024', '19900101', '100');
    const stats = await verifyText(csv('姓名,身份证号码,结业日期,就业单位,就业日期', `张三,${id},${id},,`));

    expect(stats.errors[0]?.message).not.toContain(id);
    expect(stats.errors[0]?.message).toContain('141024');
  });
});
