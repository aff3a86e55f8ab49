/**
 * The key design of the two tables, shared by the CDK app (which creates the indexes) and the
 * repositories (which write and query them). Pure data: no AWS imports.
 *
 * cases table, one item collection per case (`pk = CASE#<caseId>`):
 *   HEAD                      the case head (status, version, round version, kind, route, county, form)
 *   EVIDENCE#<evidenceId>     one uploaded object
 *   ROSTER#<slot>             roster stats of a roster slot
 *   TASK#<taskId>             a workflow task; the task token stays on this item, server-side only
 *   EVENT#<at>#<n>            the case timeline
 * plus collections keyed by other things:
 *   INTAKE#<bucket>/<key>     the newest S3 event sequencer seen per object (idempotent intake)
 *   PERSON#<roundId>#<hmac>   cases claiming one person (cross-case duplicates, never a plain ID)
 */
export interface IndexDefinition {
  readonly name: string;
  readonly partitionKey: string;
  readonly sortKey: string;
  readonly sortKeyType?: 'S' | 'N';
}

export const CASES_INDEXES: readonly IndexDefinition[] = [
  /** Cases of a round by status: `ROUND#<roundId>` / `<status>#<caseId>`. */
  { name: 'byRound', partitionKey: 'roundKey', sortKey: 'roundSort' },
  /** Open tasks of an assignee group: `ASSIGNEE#<group>` / `<dueAt>#<taskId>`; removed when closed. */
  { name: 'byAssignee', partitionKey: 'assigneeKey', sortKey: 'assigneeSort' },
  /** Cases of an applicant organisation: `ORG#<creditCode>` / `<createdAt>#<caseId>`. */
  { name: 'byOrg', partitionKey: 'orgKey', sortKey: 'orgSort' },
  /** The certified feed of a round in sequence order: `FEED#<roundId>` / seq. */
  { name: 'feed', partitionKey: 'feedKey', sortKey: 'feedSeq', sortKeyType: 'N' },
];

export const SCORES_INDEXES: readonly IndexDefinition[] = [
  /** Every score of a round and stage, for aggregation and dashboards: `ROUND#<roundId>#<stage>` / `<caseId>#<scorer>`. */
  { name: 'byRoundStage', partitionKey: 'roundStageKey', sortKey: 'roundStageSort' },
];

export const caseKey = (caseId: string) => `CASE#${caseId}`;
export const HEAD = 'HEAD';
export const evidenceSort = (evidenceId: string) => `EVIDENCE#${evidenceId}`;
export const rosterSort = (slot: string) => `ROSTER#${slot}`;
export const taskSort = (taskId: string) => `TASK#${taskId}`;
export const eventSort = (at: string, n: number) => `EVENT#${at}#${String(n).padStart(4, '0')}`;
export const roundKey = (roundId: string) => `ROUND#${roundId}`;
export const roundSort = (status: string, caseId: string) => `${status}#${caseId}`;
export const assigneeKey = (group: string) => `ASSIGNEE#${group}`;
export const orgKey = (creditCode: string) => `ORG#${creditCode}`;
export const intakeKey = (bucket: string, key: string) => `INTAKE#${bucket}/${key}`;
