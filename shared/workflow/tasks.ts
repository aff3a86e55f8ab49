import type { CaseStatus } from '../cases/model';

/** The kinds of task a person acts on (API.md `GET /v1/tasks`), plus the applicant's supplement. */
export const TASK_TYPES = [
  'supplement',
  'county-review',
  'onsite-evaluation',
  'expert-review',
  'objection-review',
  'province-recommendation',
] as const;
export type TaskType = (typeof TASK_TYPES)[number];

/**
 * The hard upper bound a workflow waits on each kind of task, in calendar days: the state machine's
 * `TimeoutSeconds`. The working-day due date a person sees is earlier and comes from the round; this
 * bound only guarantees no task waits forever.
 */
export const TASK_TIMEOUT_DAYS: Record<TaskType, number> = {
  supplement: 45,
  'county-review': 45,
  'onsite-evaluation': 60,
  'expert-review': 60,
  'objection-review': 30,
  'province-recommendation': 90,
};

/** The case status a case holds while a task of this type is open. */
export const STATUS_WHILE_OPEN: Record<TaskType, CaseStatus> = {
  supplement: 'SUPPLEMENT_REQUESTED',
  'county-review': 'COUNTY_REVIEW',
  'onsite-evaluation': 'ONSITE_EVALUATION',
  'expert-review': 'EXPERT_REVIEW',
  'objection-review': 'OBJECTION_REVIEW',
  'province-recommendation': 'CERTIFIED',
};
