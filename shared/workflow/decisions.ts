import type { StaffTaskType } from './tasks';

export const DECISIONS = ['approve', 'return', 'reject', 'retry'] as const;
export type Decision = (typeof DECISIONS)[number];

/**
 * Which decisions each staff task accepts (API.md): `return` sends a case back to the applicant and
 * exists only in county review. Supplement requests are answered by resubmitting, selection by the
 * round's selection, neither here.
 */
export const DECISIONS_BY_TASK: Record<StaffTaskType, readonly Decision[]> = {
  'county-review': ['approve', 'return', 'reject'],
  'onsite-evaluation': ['approve', 'reject'],
  'expert-review': ['approve', 'reject'],
  'objection-review': ['approve', 'reject'],
  'province-recommendation': ['approve', 'reject'],
  // Retry the failed step, or end the case with the city's opinion.
  attention: ['retry', 'reject'],
};
