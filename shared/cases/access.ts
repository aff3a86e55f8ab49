import type { Principal } from '../http/principal';
import type { CaseHead, TaskItem } from './model';

/**
 * Who may read a case: its owner always; staff only once it is submitted and only in their scope
 * (county staff their county's cases, the city every case, experts the cases assigned to them).
 * Everyone else is told the case does not exist.
 */
export function canReadCase(
  principal: Principal,
  head: Pick<CaseHead, 'org' | 'status' | 'countyCode'>,
  tasks: readonly Pick<TaskItem, 'type' | 'assigneeGroup'>[] = [],
): boolean {
  if (principal.role === 'applicant') return principal.org === head.org;
  if (head.status === 'DRAFT') return false;
  switch (principal.role) {
    case 'county':
      return head.countyCode !== undefined && head.countyCode === principal.county;
    case 'city':
      return true;
    case 'expert':
      // Only the cases the expert was assigned to review.
      return tasks.some(
        (task) => task.type === 'expert-review' && task.assigneeGroup === `expert#${principal.sub}`,
      );
    default:
      return false;
  }
}

/** Only the owner edits, and only while the case is a draft or back with the applicant. */
export const EDITABLE_STATUSES = ['DRAFT', 'SUPPLEMENT_REQUESTED'] as const;

export function isOwner(principal: Principal, head: Pick<CaseHead, 'org'>): boolean {
  return principal.role === 'applicant' && principal.org === head.org;
}
