import type { CaseHead } from '../cases/model';
import type { Principal } from '../http/principal';
import type { TaskType } from './tasks';

/**
 * Who acts on a task. County review goes to the case's county; the applicant answers supplement
 * requests; experts get their own tasks; a case waiting for selection waits on its round; everything
 * else belongs to the city bureau.
 */
export function assigneeGroupFor(
  type: TaskType,
  head: Pick<CaseHead, 'org' | 'countyCode' | 'roundId'>,
  expertId?: string,
): string {
  switch (type) {
    case 'supplement':
      return `applicant#${head.org}`;
    case 'county-review':
      if (!head.countyCode) throw new Error('a county review needs a county-route case');
      return `county#${head.countyCode}`;
    case 'expert-review':
      if (!expertId) throw new Error('an expert review task needs its expert');
      return `expert#${expertId}`;
    case 'selection':
      // In nobody's inbox: the round's selection finds every waiting case under this group.
      return selectionGroup(head.roundId);
    default:
      return 'city';
  }
}

/** The assignee groups whose tasks a caller may see and complete. */
export function assigneeGroupsOf(principal: Principal): string[] {
  switch (principal.role) {
    case 'county':
      return principal.county ? [`county#${principal.county}`] : [];
    case 'city':
      return ['city'];
    case 'expert':
      return [`expert#${principal.sub}`];
    case 'applicant':
      return principal.org ? [`applicant#${principal.org}`] : [];
    default:
      return [];
  }
}

/** The group of the cases of a round waiting for the city's selection. No principal holds it. */
export const selectionGroup = (roundId: string) => `selection#${roundId}`;
