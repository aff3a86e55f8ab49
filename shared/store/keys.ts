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
 *   OBJECTION#<objectionId>   an objection raised during publicity (no contact details)
 *   OBJCONTACT#<objectionId>  the objector's real name and phone: written once, read by no API path
 *   RECOGNITION               the certificate, reward and province decision (also the certified feed's entry)
 * plus collections keyed by other things:
 *   ROUND#<roundId>           round-level acts: SELECTION (candidates, publicity window), COUNTERS
 *                             (certificate and feed sequences), RECOMMENDED#<county>#<caseId> (the
 *                             dashboard's recommendations), RATE#<window>#<hash> (objection rate limit)
 *   CERTIFICATE#<no>          certificate number → case, for public verification
 *   FEED#<roundId>            the certified feed: SEQ#<seq> entries, appended with each recognition,
 *                             province decision and revocation (`feed-repository.ts`)
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
  /**
   * Reserved for the certified feed by sequence: `FEED#<roundId>` / seq. Nothing writes it any more —
   * the feed reads its own base-table collection with strongly consistent queries instead (an index
   * could show entry n+1 before entry n, and a cursor would skip n).
   */
  { name: 'feed', partitionKey: 'feedKey', sortKey: 'feedSeq', sortKeyType: 'N' },
];

/**
 * scores table, one item collection per case (`pk = CASE#<caseId>`):
 *   SCORE#<stage>#<scorer>    one score sheet (per-criterion scores, total, comment, submittedAt)
 *   AGGREGATE#<stage>         the panel's aggregate of a stage
 */
export const SCORES_INDEXES: readonly IndexDefinition[] = [
  /** Every score of a round and stage, for aggregation and dashboards: `ROUND#<roundId>#<stage>` / `<caseId>#<scorer>`. */
  { name: 'byRoundStage', partitionKey: 'roundStageKey', sortKey: 'roundStageSort' },
];

export const caseKey = (caseId: string) => `CASE#${caseId}`;
export const HEAD = 'HEAD';
export const evidenceSort = (evidenceId: string) => `EVIDENCE#${evidenceId}`;
export const rosterSort = (slot: string) => `ROSTER#${slot}`;
export const taskSort = (taskId: string) => `TASK#${taskId}`;
export const roundKey = (roundId: string) => `ROUND#${roundId}`;
export const roundSort = (status: string, caseId: string) => `${status}#${caseId}`;
export const assigneeKey = (group: string) => `ASSIGNEE#${group}`;
export const orgKey = (creditCode: string) => `ORG#${creditCode}`;
export const intakeKey = (bucket: string, key: string) => `INTAKE#${bucket}/${key}`;
export const objectionSort = (objectionId: string) => `OBJECTION#${objectionId}`;
export const objectionContactSort = (objectionId: string) => `OBJCONTACT#${objectionId}`;
export const RECOGNITION = 'RECOGNITION';
export const roundCollectionKey = (roundId: string) => `ROUND#${roundId}`;
export const SELECTION = 'SELECTION';
export const COUNTERS = 'COUNTERS';
export const recommendedSort = (countyCode: string, caseId: string) => `RECOMMENDED#${countyCode}#${caseId}`;
export const rateSort = (window: string, callerHash: string) => `RATE#${window}#${callerHash}`;
export const certificateKey = (certificateNo: string) => `CERTIFICATE#${certificateNo}`;
export const feedKey = (roundId: string) => `FEED#${roundId}`;
export const scoreSort = (stage: string, scorer: string) => `SCORE#${stage}#${scorer}`;
export const aggregateSort = (stage: string) => `AGGREGATE#${stage}`;
export const roundStageKey = (roundId: string, stage: string) => `ROUND#${roundId}#${stage}`;
export const roundAggregateKey = (roundId: string, stage: string) => `ROUND#${roundId}#${stage}#AGGREGATE`;
