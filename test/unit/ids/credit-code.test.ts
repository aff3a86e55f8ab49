import { describe, expect, it } from 'vitest';
import { creditCodeCheckChar, validateCreditCode } from '#shared/ids/credit-code';

describe('validateCreditCode', () => {
  it('accepts a code whose check character is right', () => {
    // Act
    const result = validateCreditCode('91350100M000100Y43');

    // Assess
    expect(result).toEqual({ ok: true, value: '91350100M000100Y43' });
  });

  it.each([
    ['12141000012345678P', 'a public institution (1 = 机构编制)'],
    ['51141000MJ1234567N', 'a social organisation (5 = 民政)'],
    ['91110000100001180Y', 'an enterprise with a letter check character'],
  ])('accepts %s, %s', (code) => {
    // Act
    const result = validateCreditCode(code);

    // Assess
    expect(result.ok).toBe(true);
  });

  it('normalises surrounding spaces, lower case and full-width characters', () => {
    // Act
    const result = validateCreditCode('  ９１３５０１００m０００１００y４３ ');

    // Assess
    expect(result).toEqual({ ok: true, value: '91350100M000100Y43' });
  });

  it('rejects a wrong check character with its own code', () => {
    // Act
    const result = validateCreditCode('911100001000011802');

    // Assess
    expect(result).toMatchObject({ ok: false, code: 'CREDIT_CODE_CHECK_CHAR' });
  });

  it('accepts a wrong check character in tolerant mode and reports a warning', () => {
    // Act
    const result = validateCreditCode('911100001000011802', { tolerant: true });

    // Assess
    expect(result).toMatchObject({
      ok: true,
      value: '911100001000011802',
      warnings: [{ code: 'CREDIT_CODE_CHECK_CHAR_IGNORED' }],
    });
  });

  it('still rejects a malformed code in tolerant mode', () => {
    // Act
    const result = validateCreditCode('91350100O000100Y43', { tolerant: true });

    // Assess
    expect(result).toMatchObject({ ok: false, code: 'CREDIT_CODE_CHARSET' });
  });

  it.each([
    ['', 'CREDIT_CODE_EMPTY'],
    ['   ', 'CREDIT_CODE_EMPTY'],
    ['91350100M000100Y4', 'CREDIT_CODE_LENGTH'],
    ['91350100M000100Y433', 'CREDIT_CODE_LENGTH'],
    ['91350100S000100Y43', 'CREDIT_CODE_CHARSET'],
    ['913501Z0M000100Y43', 'CREDIT_CODE_CHARSET'],
    ['9135A100M000100Y43', 'CREDIT_CODE_DIVISION'],
  ])('rejects %j with %s', (input, code) => {
    // Act
    const result = validateCreditCode(input);

    // Assess
    expect(result).toMatchObject({ ok: false, code });
    expect(result.ok === false && result.message).toMatch(/统一社会信用代码/);
  });
});

describe('creditCodeCheckChar', () => {
  it('maps a remainder of 0 to the check character 0, not 31', () => {
    // Prepare: every character 0 gives a weighted sum of 0
    const first17 = '00000000000000000';

    // Act
    const check = creditCodeCheckChar(first17);

    // Assess
    expect(check).toBe('0');
  });
});

describe('the GB 32100 check character catches every single-character change', () => {
  const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const valid = ['91350100M000100Y43', '91141024MA0K3G5Q0A'.slice(0, 17)].map((code) =>
    code.length === 18 ? code : `${code}${creditCodeCheckChar(code)}`,
  );

  it.each(valid)('no substitution at any position of %s yields another valid code', (code) => {
    expect(validateCreditCode(code).ok).toBe(true);
    for (let position = 0; position < code.length; position++) {
      for (const replacement of ALPHABET) {
        if (replacement === code[position]) continue;
        const changed = `${code.slice(0, position)}${replacement}${code.slice(position + 1)}`;
        expect(validateCreditCode(changed).ok, changed).toBe(false);
      }
    }
  });
});
