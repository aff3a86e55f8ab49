import { describe, expect, it } from 'vitest';
import { normaliseHeader, RosterFileError, recognizeHeader } from '#shared/roster/index';
import { csv, makeId, OUTPUT_HEADER, verifyText } from './helpers';

describe('roster header recognition', () => {
  it.each([
    ['身份证号', 'id'],
    ['公民身份号码', 'id'],
    ['证件号码', 'id'],
    ['手机', 'phone'],
    ['电话', 'phone'],
    ['开班日期', 'trainingStart'],
    ['培训结束日期', 'completionDate'],
    ['培训日期', 'completionDate'],
    ['工作单位', 'employer'],
    ['用人单位', 'employer'],
    ['入职日期', 'employmentDate'],
  ])('maps the training synonym %s to %s', (synonym, field) => {
    // Prepare: the required columns, the one of this field replaced by its synonym at the end.
    const cells = [...TRAINING_BASE.filter((c) => TRAINING_ROLE[c] !== field), synonym];

    const map = recognizeHeader('training', cells);

    expect(map.index[field as keyof typeof map.index]).toBe(cells.length - 1);
  });

  it.each([
    ['就业日期', 'outputDate'],
    ['入职日期', 'outputDate'],
    ['转移日期', 'outputDate'],
    ['就业地', 'destination'],
    ['就业地点', 'destination'],
  ])('maps the output synonym %s to %s', (synonym, field) => {
    const cells = [...OUTPUT_BASE.filter((c) => OUTPUT_ROLE[c] !== field), synonym];

    const map = recognizeHeader('output', cells);

    expect(map.index[field as keyof typeof map.index]).toBe(cells.length - 1);
  });

  it('prefers the canonical name over a synonym whatever the column order', () => {
    const map = recognizeHeader('output', ['姓名', '身份证号码', '入职日期', '输出日期', '就业单位']);

    expect(map.index.outputDate).toBe(3);
  });

  it('ignores spaces, required markers and notes in brackets', () => {
    expect(normaliseHeader(' *身份证号码（18位）： ')).toBe('身份证号码');
    expect(normaliseHeader('身 份 证 号')).toBe('身份证号');
  });

  it('names every missing required column in one file-level error', () => {
    const error = (() => {
      try {
        recognizeHeader('training', ['姓名', '身份证号码', '手机']);
        return null;
      } catch (e) {
        return e;
      }
    })();

    expect(error).toBeInstanceOf(RosterFileError);
    expect(error).toMatchObject({ code: 'ROSTER_HEADER_MISSING_COLUMNS', status: 422 });
    expect((error as RosterFileError).details?.map((d) => d.path)).toEqual([
      'completionDate',
      'employer',
      'employmentDate',
    ]);
  });

  it('takes the first non-empty row as the header, so a title row above it is an error', async () => {
    const text = csv('2021年培训花名册,,,', '姓名,身份证号码,结业日期,就业单位,就业日期');

    await expect(verifyText(text)).rejects.toMatchObject({ code: 'ROSTER_HEADER_MISSING_COLUMNS' });
  });

  it('reads an output roster by its own columns', async () => {
    const text = csv(OUTPUT_HEADER, `张三,${makeId('141024', '19900101', '100')},2021-07-01,某公司,上海`);

    const stats = await verifyText(text, { kind: 'output' });

    expect(stats).toMatchObject({ kind: 'output', validRows: 1, outputInYear: 1 });
  });

  it('reports issues under the header the user wrote', async () => {
    const text = csv('姓名,证件号码,培训日期,工作单位,入职日期', '张三,123,2021-03-05,,');

    const stats = await verifyText(text);

    expect(stats.errors[0]).toMatchObject({ column: '证件号码', code: 'ID_LENGTH' });
  });
});

const TRAINING_BASE = ['姓名', '身份证号码', '结业日期', '就业单位', '就业日期'];
const TRAINING_ROLE: Record<string, string> = {
  身份证号码: 'id',
  结业日期: 'completionDate',
  就业单位: 'employer',
  就业日期: 'employmentDate',
};
const OUTPUT_BASE = ['姓名', '身份证号码', '输出日期', '就业单位'];
const OUTPUT_ROLE: Record<string, string> = { 输出日期: 'outputDate', 就业单位: 'employer' };
