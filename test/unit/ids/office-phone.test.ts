import { describe, expect, it } from 'vitest';
import { validateOfficePhone } from '#shared/ids/office-phone';

describe('validateOfficePhone', () => {
  it.each([
    ['0357-1234567'],
    ['0357 1234567'],
    ['(0357)1234567'],
    ['（０３５７）１２３４５６７'],
    ['03571234567'],
    [' 0357 - 1234567 '],
  ])('normalises %j to 0357-1234567', (input) => {
    // Act
    const result = validateOfficePhone(input);

    // Assess
    expect(result).toMatchObject({
      ok: true,
      value: '0357-1234567',
      parts: { areaCode: '0357', local: '1234567' },
    });
  });

  it('splits an unseparated Beijing number after the 3-digit area code', () => {
    // Act
    const result = validateOfficePhone('01012345678');

    // Assess
    expect(result).toMatchObject({ ok: true, value: '010-12345678' });
  });

  it.each([['0357-1234567-123'], ['0357-1234567转123'], ['(0357)1234567转123']])(
    'keeps the extension of %j',
    (input) => {
      // Act
      const result = validateOfficePhone(input);

      // Assess
      expect(result).toMatchObject({ ok: true, value: '0357-1234567-123', parts: { extension: '123' } });
    },
  );

  it.each([
    ['', 'OFFICE_PHONE_EMPTY'],
    ['13812345678', 'OFFICE_PHONE_IS_MOBILE'],
    ['1234567', 'OFFICE_PHONE_AREA_CODE'],
    ['357-1234567', 'OFFICE_PHONE_AREA_CODE'],
    ['035-1234567', 'OFFICE_PHONE_AREA_CODE'],
    ['0357-123456', 'OFFICE_PHONE_LOCAL_NUMBER'],
    ['0357-123456789', 'OFFICE_PHONE_LOCAL_NUMBER'],
    ['0357-0234567', 'OFFICE_PHONE_LOCAL_NUMBER'],
    ['电话0357-1234567', 'OFFICE_PHONE_FORMAT'],
  ])('rejects %j with %s', (input, code) => {
    // Act
    const result = validateOfficePhone(input);

    // Assess
    expect(result).toMatchObject({ ok: false, code });
  });
});
