import type { CaseStatus } from '../cases/model';
import type { Round } from '../rounds/schema';

/**
 * The kinds of task a callback state opens: the staff tasks of API.md `GET /v1/tasks`, the
 * applicant's supplement request, and `selection` — a case waiting for the round-level selection
 * (`POST /v1/rounds/{roundId}/selection` resolves every such task; it is in nobody's inbox).
 */
export const TASK_TYPES = [
  'supplement',
  'county-review',
  'onsite-evaluation',
  'expert-review',
  'selection',
  'objection-review',
  'province-recommendation',
  /** A failed workflow step waiting for the city (需人工处理): retry it or reject the case. */
  'attention',
] as const;
export type TaskType = (typeof TASK_TYPES)[number];

/** Tasks a person completes through `POST /v1/tasks/{taskId}/complete`. */
export type StaffTaskType = Exclude<TaskType, 'supplement' | 'selection'>;
export const STAFF_TASK_TYPES: readonly StaffTaskType[] = [
  'county-review',
  'onsite-evaluation',
  'expert-review',
  'objection-review',
  'province-recommendation',
  'attention',
];
export const isStaffTask = (type: TaskType): type is StaffTaskType =>
  (STAFF_TASK_TYPES as readonly string[]).includes(type);

/**
 * The hard upper bound a workflow waits on each kind of task, in calendar days: the state machine's
 * `TimeoutSeconds`. The working-day due date a person sees is earlier and comes from the round; this
 * bound only guarantees no task waits forever.
 */
export const TASK_TIMEOUT_DAYS: Record<TaskType, number> = {
  // A backstop in months, not days: people's deadlines are the working-day due dates; passing this
  // bound leads to an attention task for the city, never to a decision by silence.
  supplement: 180,
  'county-review': 180,
  'onsite-evaluation': 180,
  'expert-review': 180,
  // Selection waits for the whole round (the last expert review of every case), hence longer.
  selection: 240,
  'objection-review': 180,
  'province-recommendation': 90,
  attention: 180,
};

/** Working days an attention task is due in: the city should look at a stuck case promptly. */
export const ATTENTION_DUE_DAYS = 2;

/** Working days from a task's opening to its due date, from the round. */
export function dueWorkingDays(
  round: Pick<Round, 'reviewDays'>,
  type: Exclude<TaskType, 'attention'>,
): number {
  return round.reviewDays[type];
}

/** The case status a case holds while a task of this type is open. */
export const STATUS_WHILE_OPEN: Record<Exclude<TaskType, 'attention'>, CaseStatus> = {
  supplement: 'SUPPLEMENT_REQUESTED',
  'county-review': 'COUNTY_REVIEW',
  'onsite-evaluation': 'ONSITE_EVALUATION',
  'expert-review': 'EXPERT_REVIEW',
  selection: 'AWAITING_SELECTION',
  'objection-review': 'OBJECTION_REVIEW',
  // Recommending to the province happens after certification: the case stays certified either way.
  'province-recommendation': 'CERTIFIED',
};

/** An attention task leaves the case in its business status (only `attention` is set on the head). */
export type StatusTaskType = Exclude<TaskType, 'attention'>;

/** Task types whose completion carries scores against the round rubric. */
export const SCORED_TASKS: readonly TaskType[] = ['onsite-evaluation', 'expert-review'];
