import { describe, expect, it } from 'vitest';
import { validateMobile } from '#shared/ids/mobile';

describe('validateMobile', () => {
  it.each([
    ['13812345678'],
    ['138 1234 5678'],
    ['138-1234-5678'],
    ['+86 138 1234 5678'],
    ['+86-13812345678'],
    ['8613812345678'],
    ['１３８１２３４５６７８'],
    [' 13812345678 '],
  ])('normalises %j to the bare 11 digits', (input) => {
    // Act
    const result = validateMobile(input);

    // Assess
    expect(result).toEqual({ ok: true, value: '13812345678' });
  });

  it.each([
    ['', 'MOBILE_EMPTY'],
    ['1381234567a', 'MOBILE_CHARSET'],
    ['1381234567', 'MOBILE_LENGTH'],
    ['138123456789', 'MOBILE_LENGTH'],
    ['12812345678', 'MOBILE_PREFIX'],
    ['23812345678', 'MOBILE_PREFIX'],
    ['0357-1234567', 'MOBILE_PREFIX'],
  ])('rejects %j with %s', (input, code) => {
    // Act
    const result = validateMobile(input);

    // Assess
    expect(result).toMatchObject({ ok: false, code });
  });
});
