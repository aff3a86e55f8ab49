import { describe, expect, it } from 'vitest';
import { chinaDateCode } from '#shared/roster/dates';
import { checkIdString, ID_ISSUE_CODES, maskId } from '#shared/roster/index';
import { idKey } from '#shared/roster/resident-id';
import { makeId, SAMPLE_ID, withWrongCheck } from './helpers';

const TODAY = 20220601;
const codeOf = (text: string, today = TODAY): string => ID_ISSUE_CODES[checkIdString(text, today)] as string;

describe('roster ID check (GB 11643)', () => {
  it('accepts the standard example with an X check character', () => {
    // Prepare / Act / Assess
    expect(codeOf(SAMPLE_ID)).toBe('OK');
  });

  it('computes check characters the same way as the test helper', () => {
    expect(makeId('110105', '19491231', '002')).toBe(SAMPLE_ID);
  });

  it('accepts a lowercase x check character', () => {
    expect(codeOf(SAMPLE_ID.toLowerCase())).toBe('OK');
  });

  it('accepts full-width digits and X', () => {
    const fullWidth = [...SAMPLE_ID].map((c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).join('');

    expect(codeOf(fullWidth)).toBe('OK');
  });

  it('accepts an ID with spreadsheet text markers and stray spaces', () => {
    expect(codeOf(`'${SAMPLE_ID}`)).toBe('OK');
    expect(codeOf(`="${SAMPLE_ID}"`)).toBe('OK');
    expect(codeOf(` ${SAMPLE_ID.slice(0, 6)} ${SAMPLE_ID.slice(6)}\u3000`)).toBe('OK');
  });

  it('names an empty cell ID_MISSING', () => {
    expect(codeOf('  ')).toBe('ID_MISSING');
  });

  it('names a wrong check character ID_CHECKSUM', () => {
    expect(codeOf(withWrongCheck(makeId('141024', '19900101', '123')))).toBe('ID_CHECKSUM');
  });

  it('names scientific notation ID_SCIENTIFIC_NOTATION', () => {
    expect(codeOf('1.41024E+17')).toBe('ID_SCIENTIFIC_NOTATION');
    expect(codeOf('1.41024199001011E+17')).toBe('ID_SCIENTIFIC_NOTATION');
  });

  it('names 18 digits ending in zeros that fail the check ID_PRECISION_LOST', () => {
    const id = makeId('141024', '19900101', '123');
    const mangled = `${id.slice(0, 15)}000`;

    expect(codeOf(mangled)).toBe('ID_PRECISION_LOST');
  });

  it('names a 15-digit legacy ID ID_LEGACY_15', () => {
    expect(codeOf('110105491231002')).toBe('ID_LEGACY_15');
  });

  it('names other lengths ID_LENGTH', () => {
    expect(codeOf(SAMPLE_ID.slice(0, 17))).toBe('ID_LENGTH');
    expect(codeOf(`${SAMPLE_ID}1`)).toBe('ID_LENGTH');
  });

  it('names letters inside the number ID_FORMAT', () => {
    expect(codeOf(`11010519491231A02X`)).toBe('ID_FORMAT');
    expect(codeOf('abc')).toBe('ID_FORMAT');
  });

  it('names a non-existent province prefix ID_AREA', () => {
    expect(codeOf(makeId('990105', '19491231', '002'))).toBe('ID_AREA');
    expect(codeOf(makeId('160105', '19491231', '002'))).toBe('ID_AREA');
  });

  it('keeps codes of areas that no longer exist valid (1426xx from before Linfen became a city)', () => {
    expect(codeOf(makeId('142601', '19800101', '001'))).toBe('OK');
  });

  it('accepts every real province prefix, Taiwan, Hong Kong and Macao included', () => {
    for (const p of [
      '11',
      '15',
      '21',
      '23',
      '31',
      '37',
      '41',
      '46',
      '50',
      '54',
      '61',
      '65',
      '71',
      '81',
      '82',
    ]) {
      expect(codeOf(makeId(`${p}0101`, '19800101', '001')), p).toBe('OK');
    }
  });

  it('names an impossible birth date ID_BIRTH_DATE (Feb 30, before 1900, in the future)', () => {
    expect(codeOf(makeId('110105', '19900230', '002'))).toBe('ID_BIRTH_DATE');
    expect(codeOf(makeId('110105', '18991231', '002'))).toBe('ID_BIRTH_DATE');
    expect(codeOf(makeId('110105', '20220602', '002'))).toBe('ID_BIRTH_DATE');
  });

  it('accepts Feb 29 of a leap year only', () => {
    expect(codeOf(makeId('110105', '20000229', '002'))).toBe('OK');
    expect(codeOf(makeId('110105', '19000229', '002'))).toBe('ID_BIRTH_DATE');
  });

  it('names an X where the check character is a digit ID_CHECKSUM', () => {
    const id = makeId('141024', '19900101', '123');

    expect(id.endsWith('X')).toBe(false);
    expect(codeOf(`${id.slice(0, 17)}X`)).toBe('ID_CHECKSUM');
  });

  it('names month 13 ID_BIRTH_DATE', () => {
    expect(codeOf(makeId('141024', '19891301', '003'))).toBe('ID_BIRTH_DATE');
  });

  it('accepts Feb 29 of 2024 and refuses it in 2023', () => {
    expect(codeOf(makeId('141024', '20240229', '003'), 20260601)).toBe('OK');
    expect(codeOf(makeId('141024', '20230229', '003'), 20260601)).toBe('ID_BIRTH_DATE');
  });

  it('accepts a birth date once today has reached it', () => {
    const id = makeId('141024', '20261201', '001');

    expect(codeOf(id, 20261130)).toBe('ID_BIRTH_DATE');
    expect(codeOf(id, 20261201)).toBe('OK');
  });

  it('reads today in Asia/Shanghai, where the day starts 8 hours before UTC', () => {
    // 2026-11-30T16:00Z is already 1 December in Linfen
    expect(codeOf(makeId('141024', '20261201', '001'), chinaDateCode(new Date('2026-11-30T16:00:00Z')))).toBe(
      'OK',
    );
  });

  it('names a lower-case exponent ID_SCIENTIFIC_NOTATION too', () => {
    expect(codeOf('1.41024199001011e17')).toBe('ID_SCIENTIFIC_NOTATION');
  });

  it('accepts a genuine ID that happens to end in 000', () => {
    expect(codeOf('141024199001013000')).toBe('OK');
  });

  it('names a letter O among the digits ID_FORMAT', () => {
    expect(codeOf('1410241990O1011232')).toBe('ID_FORMAT');
  });

  it('gives different IDs different dedup keys', () => {
    const ids = [
      '141024199001011232',
      '141024199001021000',
      '142601198503150018',
      '11010519491231002X',
      '141024202402290038',
      '141024200002290048',
    ];

    const keys = ids.map((id) => {
      expect(codeOf(id, 20260601), id).toBe('OK');
      return `${idKey.hi}:${idKey.lo}`;
    });

    expect(new Set(keys).size).toBe(ids.length);
  });

  it('masks an ID to area and last four', () => {
    expect(maskId(SAMPLE_ID)).toBe('110105********002X');
    expect(maskId('14102419000101001X')).toBe('141024********001X');
    expect(maskId('12345')).toBe('*****');
  });
});
