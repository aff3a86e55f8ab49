import { describe, expect, it } from 'vitest';
import { checkIdString, ID_ISSUE_CODES, maskId } from '#shared/roster/index';
import { makeId, SAMPLE_ID, withWrongCheck } from './helpers';

const TODAY = 20220601;
const codeOf = (text: string): string => ID_ISSUE_CODES[checkIdString(text, TODAY)] as string;

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

  it('masks an ID to area and last four', () => {
    expect(maskId(SAMPLE_ID)).toBe('110105********002X');
    expect(maskId('12345')).toBe('*****');
  });
});
