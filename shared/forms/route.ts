import type { ErrorDetail } from '#shared/errors';
import type { County, Round } from '#shared/rounds/schema';

/**
 * The territorial rule (§三(二)1 属地推荐): a unit inside a county applies through that county's HR
 * department (`county`, with one of the round's counties); a city-level unit (市直) applies directly to
 * the city bureau (`direct`, with no county).
 */
export const ROUTES = ['county', 'direct'] as const;
export type Route = (typeof ROUTES)[number];

export type RouteResult =
  | { ok: true; route: Route; county: County | undefined }
  | { ok: false; defects: ErrorDetail[] };

function isRoute(value: unknown): value is Route {
  return value === 'county' || value === 'direct';
}

function isAbsent(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

export function validateRoute(round: Round, route: unknown, countyCode: unknown): RouteResult {
  if (!isRoute(route)) {
    return {
      ok: false,
      defects: [
        {
          path: 'route',
          code: isAbsent(route) ? 'REQUIRED' : 'INVALID_VALUE',
          message: '申报途径应为属地推荐（county）或市直直接申报（direct）',
        },
      ],
    };
  }
  if (route === 'direct') {
    if (isAbsent(countyCode)) return { ok: true, route, county: undefined };
    return {
      ok: false,
      defects: [
        {
          path: 'countyCode',
          code: 'NOT_ALLOWED',
          message: '市直单位直接向市局申报，不填写所在县（市、区）',
        },
      ],
    };
  }
  if (isAbsent(countyCode)) {
    return {
      ok: false,
      defects: [{ path: 'countyCode', code: 'REQUIRED', message: '属地推荐须填写所在县（市、区）' }],
    };
  }
  const county =
    typeof countyCode === 'string' ? round.counties.find((c) => c.code === countyCode) : undefined;
  if (!county) {
    return {
      ok: false,
      defects: [
        {
          path: 'countyCode',
          code: 'UNKNOWN_COUNTY',
          message: `“${String(countyCode)}”不是本年度申报范围内的县（市、区）代码`,
        },
      ],
    };
  }
  return { ok: true, route, county };
}
