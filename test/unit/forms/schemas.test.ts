import { describe, expect, it } from 'vitest';
import { toDefects } from '#shared/forms/defects';
import {
  baseFormSchema,
  brandFormSchema,
  draftFormSchema,
  formWarnings,
  parseDraftForm,
  parseForm,
} from '#shared/forms/schemas';
import { baseForm, brandForm, round, tolerantRound } from './fixtures';

function defectsOf(result: { ok: boolean; defects?: unknown }) {
  return result.ok ? [] : (result.defects as { path: string; code: string; message: string }[]);
}

describe('complete brand form', () => {
  it('accepts a valid form and normalises the phone numbers', () => {
    // Prepare
    const input = { ...brandForm(), officePhone: '（0357）1234567', mobile: '138 1234 5678' };

    // Act
    const result = brandFormSchema(round()).safeParse(input);

    // Assess
    expect(result.success).toBe(true);
    expect(result.data).toMatchObject({ officePhone: '0357-1234567', mobile: '13812345678' });
  });

  it('rejects an unknown field with its path and UNKNOWN_FIELD', () => {
    // Prepare
    const input = { ...brandForm(), website: 'https://example.org' };

    // Act
    const result = parseForm(round(), 'brand', input);

    // Assess
    expect(defectsOf(result)).toEqual([
      { path: 'form.website', code: 'UNKNOWN_FIELD', message: expect.any(String) },
    ]);
  });

  it('rejects an unknown field inside the pairing', () => {
    // Prepare
    const input = {
      ...brandForm(),
      pairing: { county: '大宁县', province: '山西省', status: 'key-assistance', since: 2020 },
    };

    // Act
    const result = parseForm(round(), 'brand', input);

    // Assess
    expect(defectsOf(result)).toEqual([
      { path: 'form.pairing.since', code: 'UNKNOWN_FIELD', message: expect.any(String) },
    ]);
  });

  it('rejects a year the round does not ask for', () => {
    // Prepare
    const input = { ...brandForm(), trained: { '2019': 1, '2020': 420, '2021': 560 } };

    // Act
    const result = parseForm(round(), 'brand', input);

    // Assess
    expect(defectsOf(result)).toEqual([
      { path: 'form.trained.2019', code: 'UNKNOWN_FIELD', message: expect.any(String) },
    ]);
  });

  it('asks for the years of the round it is built for', () => {
    // Prepare: the 2021 figures submitted to round 2026
    const input = brandForm();

    // Act
    const result = parseForm(round('2026'), 'brand', input);

    // Assess
    const paths = defectsOf(result).map((d) => `${d.path} ${d.code}`);
    expect(paths).toEqual(
      expect.arrayContaining([
        'form.trained.2020 UNKNOWN_FIELD',
        'form.trained.2025 REQUIRED',
        'form.trained.2026 REQUIRED',
        'form.output.2026 REQUIRED',
      ]),
    );
  });

  it('reports every defect at once: missing fields together with invalid ones', () => {
    // Prepare
    const { leader: _leader, output: _output, ...rest } = brandForm();
    const input = { ...rest, mobile: '12345', trained: { '2020': -1 }, extra: true };

    // Act
    const result = parseForm(round(), 'brand', input);

    // Assess
    expect(defectsOf(result).map((d) => [d.path, d.code])).toEqual(
      expect.arrayContaining([
        ['form.leader', 'REQUIRED'],
        ['form.output', 'REQUIRED'],
        ['form.trained.2021', 'REQUIRED'],
        ['form.trained.2020', 'NEGATIVE'],
        ['form.mobile', 'MOBILE_LENGTH'],
        ['form.extra', 'UNKNOWN_FIELD'],
      ]),
    );
    expect(defectsOf(result)).toHaveLength(6);
  });

  it('writes every defect message in Chinese', () => {
    // Prepare
    const input = {
      name: 1,
      ownerCreditCode: 'X',
      trained: 'many',
      output: { '2020': 1.5 },
      pairing: { status: 'x' },
    };

    // Act
    const result = parseForm(round(), 'brand', input);

    // Assess
    const defects = defectsOf(result);
    expect(defects.length).toBeGreaterThan(5);
    for (const defect of defects) expect(defect.message).toMatch(/[\u4e00-\u9fff]/);
  });

  it('rejects a form that is not an object', () => {
    // Act
    const result = parseForm(round(), 'brand', ['name']);

    // Assess
    expect(defectsOf(result)).toEqual([{ path: 'form', code: 'WRONG_TYPE', message: '申报表应为对象' }]);
  });

  it.each([
    [{ trained: { '2020': 1.5, '2021': 560 } }, 'form.trained.2020', 'NOT_INTEGER'],
    [{ output: { '2020': '300', '2021': 350 } }, 'form.output.2020', 'WRONG_TYPE'],
    [{ output: { '2020': 300, '2021': 1e9 } }, 'form.output.2021', 'TOO_LARGE'],
    [{ name: '   ' }, 'form.name', 'EMPTY'],
    [{ leader: 7 }, 'form.leader', 'WRONG_TYPE'],
    [{ ownerCreditCode: '911100001000011802' }, 'form.ownerCreditCode', 'CREDIT_CODE_CHECK_CHAR'],
    [{ officePhone: '13812345678' }, 'form.officePhone', 'OFFICE_PHONE_IS_MOBILE'],
    [
      { pairing: { county: '大宁县', province: '山西省', status: 'rich' } },
      'form.pairing.status',
      'INVALID_VALUE',
    ],
    [{ pairing: { county: '大宁县', status: 'key-assistance' } }, 'form.pairing.province', 'REQUIRED'],
  ])('reports %j as %s %s', (change, path, code) => {
    // Prepare
    const input = { ...brandForm(), ...change };

    // Act
    const result = parseForm(round(), 'brand', input);

    // Assess
    expect(defectsOf(result)).toEqual([{ path, code, message: expect.stringMatching(/[\u4e00-\u9fff]/) }]);
  });

  it('normalises the credit code to upper case', () => {
    // Prepare
    const input = { ...brandForm(), ownerCreditCode: ' 91350100m000100y43 ' };

    // Act
    const result = parseForm(round(), 'brand', input);

    // Assess
    expect(result.ok && result.form.ownerCreditCode).toBe('91350100M000100Y43');
  });
});

describe('introduction length', () => {
  it('accepts 1999 ordinary characters and one outside the BMP: 2000 characters, 2001 UTF-16 units', () => {
    // Prepare
    const introduction = `${'劳'.repeat(1999)}𠀀`;

    // Act
    const result = parseForm(round(), 'brand', { ...brandForm(), introduction });

    // Assess
    expect(introduction.length).toBe(2001);
    expect(result.ok).toBe(true);
  });

  it('rejects 2001 characters as TOO_LONG, counting a character outside the BMP once', () => {
    // Prepare: 2001 characters but 2002 UTF-16 units
    const introduction = `${'劳'.repeat(2000)}𠀀`;

    // Act
    const result = parseForm(round(), 'base', { ...baseForm(), introduction });

    // Assess
    expect(defectsOf(result)).toEqual([
      { path: 'form.introduction', code: 'TOO_LONG', message: '协作基地概况不能超过2000字，当前为2001字' },
    ]);
  });

  it('accepts exactly 2000 ordinary characters', () => {
    // Prepare
    const introduction = 'a'.repeat(2000);

    // Act
    const result = parseForm(round(), 'brand', { ...brandForm(), introduction });

    // Assess
    expect(result.ok).toBe(true);
  });
});

describe('complete base form', () => {
  it('accepts a valid form with a pairing', () => {
    // Act
    const result = baseFormSchema(round()).safeParse(baseForm());

    // Assess
    expect(result.error).toBeUndefined();
    expect(result.data?.mobile).toBe('13912345678');
    expect(result.data?.officePhone).toBe('0357-7654321');
  });

  it('has no training counts', () => {
    // Prepare
    const input = { ...baseForm(), trained: { '2020': 1, '2021': 1 } };

    // Act
    const result = parseForm(round(), 'base', input);

    // Assess
    expect(defectsOf(result)).toEqual([
      { path: 'form.trained', code: 'UNKNOWN_FIELD', message: expect.any(String) },
    ]);
  });

  it('asks for output in each of the three years of 附件2', () => {
    // Prepare
    const input = { ...baseForm(), output: { '2021': 900 } };

    // Act
    const result = parseForm(round(), 'base', input);

    // Assess
    expect(defectsOf(result).map((d) => d.path)).toEqual(['form.output.2019', 'form.output.2020']);
  });
});

describe('draft form', () => {
  it('accepts an empty draft', () => {
    // Act
    const result = parseDraftForm(round(), 'brand', {});

    // Assess
    expect(result).toEqual({ ok: true, form: {}, warnings: [] });
  });

  it('accepts a draft with some fields and some years', () => {
    // Act
    const result = draftFormSchema(round(), 'brand').safeParse({
      name: '洪洞家政',
      trained: { '2021': 560 },
    });

    // Assess
    expect(result.success).toBe(true);
  });

  it('still rejects what is present and invalid', () => {
    // Act
    const result = parseDraftForm(round(), 'base', { mobile: '123', output: { '2020': -5 } });

    // Assess
    expect(defectsOf(result).map((d) => [d.path, d.code])).toEqual([
      ['form.mobile', 'MOBILE_LENGTH'],
      ['form.output.2020', 'NEGATIVE'],
    ]);
  });

  it('still rejects unknown fields', () => {
    // Act
    const result = parseDraftForm(round(), 'brand', { nmae: '洪洞家政' });

    // Assess
    expect(defectsOf(result)).toEqual([
      { path: 'form.nmae', code: 'UNKNOWN_FIELD', message: expect.any(String) },
    ]);
  });
});

describe('tolerant credit codes', () => {
  it('accepts a wrong check character in a tolerant round and warns about it', () => {
    // Prepare
    const input = { ...brandForm(), ownerCreditCode: '911100001000011802' };

    // Act
    const result = parseForm(tolerantRound(), 'brand', input);

    // Assess
    expect(result).toMatchObject({
      ok: true,
      warnings: [{ path: 'form.ownerCreditCode', code: 'CREDIT_CODE_CHECK_CHAR_IGNORED' }],
    });
  });

  it('gives no warning for a correct code in a tolerant round', () => {
    // Act
    const warnings = formWarnings(tolerantRound(), { ownerCreditCode: '91350100M000100Y43' });

    // Assess
    expect(warnings).toEqual([]);
  });
});

describe('toDefects', () => {
  it('prefixes paths with the given root and replaces a non-Chinese message', async () => {
    // Prepare
    const { z } = await import('zod');
    const error = z.strictObject({ n: z.number() }).safeParse({ n: 'x' }).error;
    if (!error) throw new Error('expected a parse error');

    // Act
    const defects = toDefects(error, 'body');

    // Assess
    expect(defects).toEqual([{ path: 'body.n', code: 'WRONG_TYPE', message: '类型不正确' }]);
  });
});
