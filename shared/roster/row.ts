/**
 * One record as byte ranges over a buffer: the CSV tokenizer points into the chunk it is reading,
 * the XLSX reader into a per-row scratch buffer. Reused for every row; nothing here outlives a row.
 */
export const FIELD_ESCAPED = 1;
export const FIELD_NUMERIC = 2;

const EMPTY = new Uint8Array(0);

export class RowView {
  buf: Uint8Array = EMPTY;
  count = 0;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  /** {@link FIELD_ESCAPED}: a quoted CSV field with `""` inside; {@link FIELD_NUMERIC}: an XLSX number. */
  readonly flags: Uint8Array;

  constructor(maxColumns: number) {
    this.starts = new Int32Array(maxColumns + 1);
    this.ends = new Int32Array(maxColumns + 1);
    this.flags = new Uint8Array(maxColumns + 1);
  }
}
