import { type ErrorDetail, UnprocessableError } from '#shared/errors';

/**
 * File-level refusals of a roster: the file as a whole cannot be verified (wrong format, missing
 * column, unsafe archive). Row-level problems are never thrown; they are `RosterIssue`s.
 */
export type RosterFileErrorCode =
  | 'ROSTER_EMPTY'
  | 'ROSTER_FORMAT_UNKNOWN'
  | 'ROSTER_FORMAT_XLS'
  | 'ROSTER_ENCODING_UNSUPPORTED'
  | 'ROSTER_HEADER_MISSING_COLUMNS'
  | 'ROSTER_XLSX_CORRUPT'
  | 'ROSTER_XLSX_NO_SHEET'
  | 'ROSTER_XLSX_MACRO'
  | 'ROSTER_XLSX_EXTERNAL_LINK'
  | 'ROSTER_XLSX_NESTED_ARCHIVE'
  | 'ROSTER_XLSX_UNSAFE_PATH'
  | 'ROSTER_XLSX_SIZE_MISMATCH'
  | 'ROSTER_XLSX_DTD';

/** A configurable cap was exceeded; the parse stopped before memory or time ran away. */
export type RosterLimitCode =
  | 'ROSTER_LIMIT_BYTES'
  | 'ROSTER_LIMIT_ROWS'
  | 'ROSTER_LIMIT_COLUMNS'
  | 'ROSTER_LIMIT_CELL'
  | 'ROSTER_LIMIT_LINE'
  | 'ROSTER_LIMIT_XLSX_ENTRIES'
  | 'ROSTER_LIMIT_XLSX_UNCOMPRESSED'
  | 'ROSTER_LIMIT_XLSX_RATIO'
  | 'ROSTER_LIMIT_XLSX_PART'
  | 'ROSTER_LIMIT_XLSX_ROWS';

export class RosterFileError extends UnprocessableError {
  declare readonly code: RosterFileErrorCode | RosterLimitCode;

  constructor(
    code: RosterFileErrorCode | RosterLimitCode,
    message: string,
    details?: ErrorDetail[],
    options?: { cause?: unknown },
  ) {
    super(code, message, details, options);
  }
}

export class RosterLimitError extends RosterFileError {
  declare readonly code: RosterLimitCode;
  /** The cap that was in force and the value that crossed it (bytes, rows, columns, ...). */
  readonly limit: number;
  readonly observed: number;

  constructor(code: RosterLimitCode, message: string, limit: number, observed: number) {
    super(code, message);
    this.limit = limit;
    this.observed = observed;
  }
}
