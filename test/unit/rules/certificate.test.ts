import { describe, expect, it } from 'vitest';
import { CERTIFICATE_NUMBER_PATTERN, certificateNumber } from '#shared/rules/certificate';

describe('certificate numbers', () => {
  it('are scoped to the round and kind and padded to three digits', () => {
    expect(certificateNumber('LF', '2021', 'brand', 1)).toBe('LF-2021-PP-001');
    expect(certificateNumber('LF', '2021', 'base', 12)).toBe('LF-2021-JD-012');
    expect(certificateNumber('LF', '2021', 'brand', 1234)).toBe('LF-2021-PP-1234');
  });

  it('match the verification pattern, and the sequence starts at 1', () => {
    expect(certificateNumber('LF', '2021', 'brand', 7)).toMatch(CERTIFICATE_NUMBER_PATTERN);
    expect(() => certificateNumber('LF', '2021', 'brand', 0)).toThrow();
  });
});
