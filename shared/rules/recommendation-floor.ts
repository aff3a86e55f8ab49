import type { County, Terrain } from '../rounds/schema';

/**
 * How many cases each county should recommend (§三(二)1 申报推荐): a plain county (平川县) recommends
 * at least one — below that is a shortfall; a mountain county (山区县) strives for one — below that
 * is a warning, never a block.
 */
export const RECOMMENDATION_FLOOR: Record<Terrain, { floor: number; target: number }> = {
  plain: { floor: 1, target: 1 },
  mountain: { floor: 0, target: 1 },
};

export interface CountyRecommendations {
  code: string;
  name: string;
  terrain: Terrain;
  recommended: number;
  floor: number;
  target: number;
  meetsFloor: boolean;
  meetsTarget: boolean;
}

/** Each county of the round with its recommendations counted against its floor and target. */
export function countyRecommendations(
  counties: readonly County[],
  recommendedByCounty: ReadonlyMap<string, number>,
): CountyRecommendations[] {
  return counties.map((county) => {
    const { floor, target } = RECOMMENDATION_FLOOR[county.terrain];
    const recommended = recommendedByCounty.get(county.code) ?? 0;
    return {
      code: county.code,
      name: county.name,
      terrain: county.terrain,
      recommended,
      floor,
      target,
      meetsFloor: recommended >= floor,
      meetsTarget: recommended >= target,
    };
  });
}
