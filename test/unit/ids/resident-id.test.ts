import { describe, expect, it } from 'vitest';
import { createResidentIdValidator, residentIdKey, validateResidentId } from '#shared/ids/resident-id';

const today = '2026-06-01';
const validate = (input: string) => validateResidentId(input, { today });

describe('validateResidentId', () => {
  it.each([['141024199001011232'], ['142601198503150018'], ['11010519491231002X'], ['14102419000101001X']])(
    'accepts the valid ID %s',
    (id) => {
      // Act
      const result = validate(id);

      // Assess
      expect(result).toEqual({ ok: true, value: id });
    },
  );

  it('accepts a lower-case x check character and upper-cases it', () => {
    // Act
    const result = validate('11010519491231002x');

    // Assess
    expect(result).toEqual({ ok: true, value: '11010519491231002X' });
  });

  it('normalises full-width digits and surrounding spaces', () => {
    // Act
    const result = validate(' １４１０２４１９９００１０１１２３２\u3000');

    // Assess
    expect(result).toEqual({ ok: true, value: '141024199001011232' });
  });

  it('rejects a wrong check digit', () => {
    // Act
    const result = validate('141024199001011233');

    // Assess
    expect(result).toMatchObject({ ok: false, code: 'ID_CHECK_CHAR' });
  });

  it('rejects an X where the check character is a digit', () => {
    // Act
    const result = validate('14102419900101123X');

    // Assess
    expect(result).toMatchObject({ ok: false, code: 'ID_CHECK_CHAR' });
  });

  it('rejects 30 February even with a correct check character', () => {
    // Act
    const result = validate('141024199002300036');

    // Assess
    expect(result).toMatchObject({ ok: false, code: 'ID_BIRTH_DATE_INVALID' });
  });

  it.each([
    ['141024202402290038', '2024, a leap year'],
    ['141024200002290048', '2000, divisible by 400'],
  ])('accepts 29 February in %s (%s)', (id) => {
    // Act
    const result = validate(id);

    // Assess
    expect(result.ok).toBe(true);
  });

  it.each([
    ['141024202302290030', '2023'],
    ['141024190002290033', '1900, divisible by 100 but not 400'],
  ])('rejects 29 February in %s (%s, not a leap year)', (id) => {
    // Act
    const result = validate(id);

    // Assess
    expect(result).toMatchObject({ ok: false, code: 'ID_BIRTH_DATE_INVALID' });
  });

  it('rejects month 13', () => {
    // Act
    const result = validate('141024198913010035');

    // Assess
    expect(result).toMatchObject({ ok: false, code: 'ID_BIRTH_DATE_INVALID' });
  });

  it('rejects a birth date after the injected today', () => {
    // Act
    const result = validateResidentId('141024202612010014', { today: '2026-11-30' });

    // Assess
    expect(result).toMatchObject({ ok: false, code: 'ID_BIRTH_DATE_FUTURE' });
  });

  it('accepts the same birth date once today has reached it', () => {
    // Act
    const result = validateResidentId('141024202612010014', { today: '2026-12-01' });

    // Assess
    expect(result.ok).toBe(true);
  });

  it('reads a Date today in Asia/Shanghai, where the day starts 8 hours before UTC', () => {
    // Prepare: 2026-11-30T16:00Z is already 1 December in Linfen
    const now = new Date('2026-11-30T16:00:00Z');

    // Act
    const result = validateResidentId('141024202612010014', { today: now });

    // Assess
    expect(result.ok).toBe(true);
  });

  it('rejects a birth year before 1900', () => {
    // Act
    const result = validate('141024189912310031');

    // Assess
    expect(result).toMatchObject({ ok: false, code: 'ID_BIRTH_DATE_TOO_EARLY' });
  });

  it('rejects an area code that is no province', () => {
    // Act
    const result = validate('911024199001010030');

    // Assess
    expect(result).toMatchObject({ ok: false, code: 'ID_AREA_CODE' });
  });

  it('keeps an area code of a division that no longer exists valid', () => {
    // Act: 1426xx, Linfen prefecture before it became a city
    const result = validate('142601198503150018');

    // Assess
    expect(result.ok).toBe(true);
  });

  it('rejects a 15-digit legacy ID with its own code', () => {
    // Act
    const result = validate('141024900101123');

    // Assess
    expect(result).toMatchObject({ ok: false, code: 'ID_LEGACY_15' });
  });

  it.each([
    ['1.41024E+17'],
    ['1.41024199001011e17'],
    ['1.41024199001011E+17'],
    ['141024199001011000'],
    ['141024199001010000'],
    ['14102419900101000'],
  ])('names %j as mangled by a spreadsheet', (input) => {
    // Act
    const result = validate(input);

    // Assess
    expect(result).toMatchObject({ ok: false, code: 'ID_MANGLED_BY_SPREADSHEET' });
  });

  it('accepts a genuine ID that happens to end in 000', () => {
    // Act
    const result = validate('141024199001013000');

    // Assess
    expect(result).toEqual({ ok: true, value: '141024199001013000' });
  });

  it.each([
    ['', 'ID_EMPTY'],
    ['   ', 'ID_EMPTY'],
    ['14102419900101123', 'ID_LENGTH'],
    ['1410241990010112322', 'ID_LENGTH'],
    ['14102419900101123A', 'ID_CHARSET'],
    ['1410241990O1011232', 'ID_CHARSET'],
  ])('rejects %j with %s', (input, code) => {
    // Act
    const result = validate(input);

    // Assess
    expect(result).toMatchObject({ ok: false, code });
    expect(result.ok === false && result.message.length).toBeGreaterThan(0);
  });

  it('returns the input string itself when it is already normal', () => {
    // Prepare
    const id = ['141024', '199001011232'].join('');

    // Act
    const result = validate(id);

    // Assess
    expect(result.ok && result.value).toBe(id);
  });
});

describe('createResidentIdValidator', () => {
  it('checks birth dates against the today it was created with', () => {
    // Prepare
    const before = createResidentIdValidator('2026-11-30');
    const after = createResidentIdValidator('2026-12-01');

    // Act
    const results = [before('141024202612010014').ok, after('141024202612010014').ok];

    // Assess
    expect(results).toEqual([false, true]);
  });

  it('refuses a malformed today at creation', () => {
    // Act
    const create = () => createResidentIdValidator('2026/12/01');

    // Assess
    expect(create).toThrow(RangeError);
  });
});

describe('residentIdKey', () => {
  it('gives different IDs different safe-integer keys', () => {
    // Prepare
    const ids = [
      '141024199001011232',
      '141024199001021000',
      '142601198503150018',
      '11010519491231002X',
      '141024202402290038',
      '141024200002290048',
    ];

    // Act
    const keys = ids.map(residentIdKey);

    // Assess
    expect(new Set(keys).size).toBe(ids.length);
    for (const key of keys) expect(Number.isSafeInteger(key)).toBe(true);
  });

  it('gives the largest possible ID a safe integer', () => {
    // Act
    const key = residentIdKey('829999209912319999');

    // Assess
    expect(Number.isSafeInteger(key)).toBe(true);
  });
});
