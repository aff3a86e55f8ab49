import type { TaskType } from '../workflow/tasks';

export const CASE_STATUSES = [
  'DRAFT',
  'SUBMITTED',
  'SUPPLEMENT_REQUESTED',
  'INELIGIBLE',
  'COUNTY_REVIEW',
  'ONSITE_EVALUATION',
  'EXPERT_REVIEW',
  'AWAITING_SELECTION',
  'NOT_SELECTED',
  'PUBLICITY',
  'OBJECTION_REVIEW',
  'CERTIFIED',
  'REJECTED',
  'WITHDRAWN',
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** Statuses a case never leaves (a recognised case stays CERTIFIED whatever the province decides). */
export const TERMINAL_STATUSES: readonly CaseStatus[] = [
  'INELIGIBLE',
  'NOT_SELECTED',
  'CERTIFIED',
  'REJECTED',
  'WITHDRAWN',
];

export type Kind = 'brand' | 'base';
export type Route = 'county' | 'direct';

/** The head of a case: what every read needs, in one item. */
export interface CaseHead {
  caseId: string;
  roundId: string;
  roundVersion: number;
  kind: Kind;
  route: Route;
  countyCode?: string;
  /** The applicant unit's credit code (owner of the case). */
  org: string;
  status: CaseStatus;
  version: number;
  form: Record<string, unknown>;
  /** Submissions so far; the workflow execution name is `<caseId>-<attempt>`. */
  attempt: number;
  createdAt: string;
  updatedAt: string;
  /** Set while a workflow step has failed and waits for the city (需人工处理); the status is unchanged. */
  attention?: CaseAttention;
}

/** What failed: the workflow state, its error code, a plain Chinese explanation, since when. */
export interface CaseAttention {
  state: string;
  error: string;
  message: string;
  since: string;
}

export type EvidenceStatus = 'PENDING' | 'ACCEPTED' | 'REJECTED';

export interface EvidenceItem {
  evidenceId: string;
  slot: string;
  fileName: string;
  key: string;
  status: EvidenceStatus;
  /** What the applicant declared when the upload was reserved, and the slot's rules at that time. */
  declaredSize: number;
  contentType: string;
  accepts: string[];
  maxBytes: number;
  reservedAt: string;
  reason?: string;
  reasonCode?: string;
  sha256?: string;
  size?: number;
  detectedType?: string;
  supersededBy?: string;
  receivedAt?: string;
  /** The S3 version of the one object this reservation took (absent where the bucket has no versioning). */
  versionId?: string;
  /** The S3 event sequencer of that object: the reservation is used once it is set. */
  objectSequencer?: string;
  /** While a roster is being verified: rows read so far and, when the size is known, the percentage. */
  progress?: { rowsRead: number; percent?: number; at: string };
}

/** An object intake kept out of the dossier (a reused upload link, a case no longer editable). */
export interface QuarantinedObject {
  evidenceId: string;
  slot: string;
  reasonCode: string;
  reason: string;
  receivedAt: string;
  sequencer: string;
  quarantineKey: string;
  versionId?: string;
  sha256?: string;
  size?: number;
}

export type TaskState = 'OPEN' | 'DONE' | 'EXPIRED';

export interface TaskItem {
  taskId: string;
  caseId: string;
  type: TaskType;
  /** Who may act: `county#<code>`, `city`, `expert#<id>`, `applicant#<creditCode>`. */
  assigneeGroup: string;
  state: TaskState;
  createdAt: string;
  dueAt: string;
  decision?: string;
  opinion?: string;
  signer?: string;
  completedAt?: string;
}

/**
 * One entry of a case's append-only audit trail: who (actor and role) did what (action), moving the
 * case from one status to another (the same status for edits), when.
 */
export interface TimelineEvent {
  at: string;
  /** The status after the action. */
  status: CaseStatus;
  /** The status before, when there was one. */
  from?: CaseStatus;
  actor: string;
  role?: string;
  action?: string;
  note?: string;
}

/** Who did something, for the audit trail: a person's `sub` and role, or the system. */
export interface Actor {
  id: string;
  role: string;
}

export const SYSTEM_ACTOR: Actor = { id: 'system', role: 'system' };
