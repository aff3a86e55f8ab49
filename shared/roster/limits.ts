/**
 * Caps that turn a hostile or accidental giant upload into a clear `RosterLimitError` instead of an
 * out-of-memory crash. Defaults fit a 1,769 MB Lambda with room to spare (see bench/README.md).
 */
export interface RosterLimits {
  /** Raw bytes read from the source (compressed size for XLSX). */
  maxBytes: number;
  /** Data rows (header and fully empty rows excluded), CSV and XLSX alike. */
  maxRows: number;
  /** Data rows of an XLSX sheet: above this the user is asked for CSV (the XLSX path is ~10× slower). */
  maxXlsxRows: number;
  /** Columns in any row. */
  maxColumns: number;
  /** Bytes in one cell (after CSV unquoting; UTF-8 bytes for XLSX). */
  maxCellBytes: number;
  /** Bytes in one CSV record (a quoted field may span lines: the record is what counts). */
  maxLineBytes: number;
  /** Entries in an XLSX zip. */
  maxZipEntries: number;
  /** Uncompressed bytes inflated from all the XLSX parts we read, and declared by all entries. */
  maxUncompressedBytes: number;
  /** Uncompressed / compressed bytes of any part we inflate (after the first 1 MiB of it). */
  maxCompressionRatio: number;
  /** Uncompressed bytes of one small XLSX part (workbook, relationships, styles, content types). */
  maxXlsxMetaPartBytes: number;
}

export const DEFAULT_ROSTER_LIMITS: Readonly<RosterLimits> = Object.freeze({
  maxBytes: 512 * 1024 * 1024,
  maxRows: 2_000_000,
  maxXlsxRows: 1_000_000,
  maxColumns: 512,
  maxCellBytes: 32 * 1024,
  maxLineBytes: 256 * 1024,
  maxZipEntries: 1000,
  maxUncompressedBytes: 1024 * 1024 * 1024,
  maxCompressionRatio: 200,
  maxXlsxMetaPartBytes: 16 * 1024 * 1024,
});

export function resolveLimits(overrides: Partial<RosterLimits> | undefined): RosterLimits {
  return { ...DEFAULT_ROSTER_LIMITS, ...overrides };
}
