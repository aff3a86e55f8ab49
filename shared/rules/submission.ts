import type { CaseHead, EvidenceItem } from '../cases/model';
import type { ErrorDetail } from '../errors';
import { parseForm } from '../forms/schemas';
import { checklistFor, isPastDeadline, type Round } from '../rounds/index';
import { declaredExcessDefects } from './declared';
import { evidenceDefects } from './evidence-defects';
import { thresholdShortfalls } from './thresholds';

/**
 * Everything that stops a submission, found at once (一次性告知): form defects, missing or refused
 * materials, threshold shortfalls the verified rosters already show, and the deadline for a first
 * submission. A supplement answers its own request, which
 * has its own due date, so the call's deadline does not apply to it.
 */
export function submissionDefects(
  round: Round,
  head: Pick<CaseHead, 'kind' | 'form' | 'status' | 'route' | 'org'>,
  evidence: readonly EvidenceItem[],
  now: Date,
  rosters: Readonly<Record<string, unknown>> = {},
): ErrorDetail[] {
  const defects: ErrorDetail[] = [];
  if (head.status === 'DRAFT' && isPastDeadline(round, now)) {
    defects.push({
      path: 'deadline',
      code: 'DEADLINE_PASSED',
      message: `本年度申报已于 ${round.deadline} 截止`,
    });
  }
  const countyOfUnit = registeredCounty(round, head.org);
  if (head.route === 'direct' && round.directRouteForCityUnitsOnly && countyOfUnit) {
    defects.push({
      path: 'route',
      code: 'ROUTE_MUST_BE_COUNTY',
      message: `申报单位登记在${countyOfUnit.name}，应通过${countyOfUnit.name}人社部门属地推荐，不能以市直单位直接申报`,
    });
  }
  const form = parseForm(round, head.kind, head.form);
  if (!form.ok) defects.push(...form.defects);
  defects.push(...evidenceDefects(checklistFor(round, head.kind), evidence));
  // The quantitative criteria, as far as the verified rosters already show them.
  defects.push(...thresholdShortfalls(round, head.kind, rosters));
  // Declared figures the verified rosters do not bear out (issue 13, item 3).
  defects.push(...declaredExcessDefects(round, head.kind, head.form, rosters));
  return defects;
}

/** The round county a unit is registered in: characters 3–8 of a credit code are the registering division. */
export function registeredCounty(round: Round, creditCode: string) {
  const division = creditCode.slice(2, 8);
  return round.counties.find((county) => county.code === division);
}
