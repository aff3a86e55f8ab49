import { describe, expect, it } from 'vitest';
import { validateRoute } from '#shared/forms/route';
import { round } from './fixtures';

describe('validateRoute', () => {
  it('accepts the county route with a county of the round and returns that county', () => {
    // Act
    const result = validateRoute(round(), 'county', '141024');

    // Assess
    expect(result).toEqual({
      ok: true,
      route: 'county',
      county: { code: '141024', name: '洪洞县', terrain: 'plain' },
    });
  });

  it('accepts the direct route without a county', () => {
    // Act
    const result = validateRoute(round(), 'direct', undefined);

    // Assess
    expect(result).toEqual({ ok: true, route: 'direct', county: undefined });
  });

  it('refuses a county on the direct route', () => {
    // Act
    const result = validateRoute(round(), 'direct', '141024');

    // Assess
    expect(result).toMatchObject({ ok: false, defects: [{ path: 'countyCode', code: 'NOT_ALLOWED' }] });
  });

  it('requires a county on the county route', () => {
    // Act
    const result = validateRoute(round(), 'county', '');

    // Assess
    expect(result).toMatchObject({ ok: false, defects: [{ path: 'countyCode', code: 'REQUIRED' }] });
  });

  it('refuses a county code outside the round', () => {
    // Prepare: 140100 is Taiyuan, not a Linfen county
    const countyCode = '140100';

    // Act
    const result = validateRoute(round(), 'county', countyCode);

    // Assess
    expect(result).toMatchObject({ ok: false, defects: [{ path: 'countyCode', code: 'UNKNOWN_COUNTY' }] });
  });

  it.each([
    ['province', 'INVALID_VALUE'],
    [undefined, 'REQUIRED'],
  ])('refuses the route %j with %s', (route, code) => {
    // Act
    const result = validateRoute(round(), route, '141024');

    // Assess
    expect(result).toMatchObject({ ok: false, defects: [{ path: 'route', code }] });
  });
});
