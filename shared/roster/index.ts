/**
 * Roster verification, the pure core: no AWS here. The Lambda adapter passes the S3 body in and
 * stores the stats; the CLI passes a file stream.
 */
export type { PersonKeyOptions, RosterAggregationOptions, RosterNumbers } from '#shared/roster/accumulator';
export { RosterAccumulator } from '#shared/roster/accumulator';
export {
  type ComparedMetric,
  compareDeclared,
  type DeclaredDifference,
  type DeclaredNumbers,
} from '#shared/roster/compare';
export type { RosterEncoding } from '#shared/roster/encoding';
export {
  RosterFileError,
  type RosterFileErrorCode,
  type RosterLimitCode,
  RosterLimitError,
} from '#shared/roster/errors';
export {
  type ColumnMap,
  normaliseHeader,
  ROSTER_FIELDS,
  type RosterField,
  type RosterKind,
  recognizeHeader,
} from '#shared/roster/header';
export type { RosterIssue, RosterIssueCode } from '#shared/roster/issues';
export { DEFAULT_ROSTER_LIMITS, type RosterLimits } from '#shared/roster/limits';
export {
  csvCell,
  ERROR_REPORT_HEADER,
  errorReportCsv,
  errorReportHeaderLine,
  errorReportLine,
  maskPersonalNumbers,
} from '#shared/roster/report';
export { checkIdString, ID_ISSUE_CODES, type IdIssueCode, maskId } from '#shared/roster/resident-id';
export type { RosterSource } from '#shared/roster/source';
export {
  type RosterFormat,
  type RosterProgress,
  type RosterStats,
  type VerifyRosterOptions,
  verifyRoster,
} from '#shared/roster/verify';
