import { describe, expect, it } from 'vitest';
import { countyRecommendations } from '#shared/rules/recommendation-floor';

const counties = [
  { code: '141024', name: '洪洞县', terrain: 'plain' as const },
  { code: '141002', name: '尧都区', terrain: 'plain' as const },
  { code: '141028', name: '吉县', terrain: 'mountain' as const },
  { code: '141025', name: '古县', terrain: 'mountain' as const },
];

describe('county recommendations against their floor', () => {
  it('holds a plain county to at least one and lets a mountain county strive for one (a warning, not a shortfall)', () => {
    const rows = countyRecommendations(
      counties,
      new Map([
        ['141024', 2],
        ['141028', 1],
      ]),
    );
    expect(
      rows.map(({ code, recommended, floor, target, meetsFloor, meetsTarget }) => [
        code,
        recommended,
        floor,
        target,
        meetsFloor,
        meetsTarget,
      ]),
    ).toEqual([
      ['141024', 2, 1, 1, true, true],
      ['141002', 0, 1, 1, false, false],
      ['141028', 1, 0, 1, true, true],
      ['141025', 0, 0, 1, true, false],
    ]);
  });
});
