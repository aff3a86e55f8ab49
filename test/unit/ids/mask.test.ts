import { describe, expect, it } from 'vitest';
import { maskMobile, maskResidentId } from '#shared/ids/mask';

describe('maskResidentId', () => {
  it('keeps the first 6 and the last 4 characters around 8 asterisks', () => {
    // Act
    const masked = maskResidentId('14102419000101001X');

    // Assess
    expect(masked).toBe('141024********001X');
  });

  it('masks a value of any other length entirely', () => {
    // Act
    const masked = maskResidentId('141024900101123');

    // Assess
    expect(masked).toBe('***************');
  });
});

describe('maskMobile', () => {
  it('keeps the first 3 and the last 4 digits', () => {
    // Act
    const masked = maskMobile('13812345678');

    // Assess
    expect(masked).toBe('138****5678');
  });
});
