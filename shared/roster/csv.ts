import { RosterLimitError } from '#shared/roster/errors';
import type { RosterLimits } from '#shared/roster/limits';
import { FIELD_ESCAPED, RowView } from '#shared/roster/row';

const EMPTY = new Uint8Array(0);
const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;
const INCOMPLETE = -1;

/**
 * RFC 4180 records straight from bytes. Comma, quote, CR and LF never occur inside a multi-byte
 * character in UTF-8 or GB18030 (trail bytes are ≥ 0x30 there), so no decoding is needed to split
 * fields: cells are only decoded when a rule needs their text. A record cut by a chunk boundary is
 * carried (copied) into the next chunk and parsed again from its start.
 */
export class CsvTokenizer {
  readonly row: RowView;
  private carry: Uint8Array | null = null;
  private recordNumber = 0;
  private readonly maxColumns: number;
  private readonly maxCellBytes: number;
  private readonly maxLineBytes: number;

  constructor(
    limits: RosterLimits,
    private readonly onRecord: (recordNumber: number, row: RowView) => void,
  ) {
    this.row = new RowView(limits.maxColumns);
    this.maxColumns = limits.maxColumns;
    this.maxCellBytes = limits.maxCellBytes;
    this.maxLineBytes = limits.maxLineBytes;
  }

  push(chunk: Uint8Array): void {
    this.run(chunk, false);
  }

  end(): void {
    this.run(EMPTY, true);
  }

  private run(chunk: Uint8Array, final: boolean): void {
    let buf = chunk;
    const carry = this.carry;
    if (carry !== null) {
      if (chunk.length === 0) buf = carry;
      else {
        buf = new Uint8Array(carry.length + chunk.length);
        buf.set(carry);
        buf.set(chunk, carry.length);
      }
      this.carry = null;
    }
    const len = buf.length;
    const row = this.row;
    row.buf = buf;
    let pos = 0;
    while (pos < len) {
      const next = this.record(buf, pos, len, final);
      if (next === INCOMPLETE) break;
      if (next - pos > this.maxLineBytes) this.lineTooLong(next - pos);
      this.onRecord(++this.recordNumber, row);
      pos = next;
    }
    if (pos < len) {
      if (len - pos > this.maxLineBytes) this.lineTooLong(len - pos);
      this.carry = buf.slice(pos);
    }
    row.buf = EMPTY;
  }

  /** Parses one record at `pos`; returns the offset after its line break, or INCOMPLETE. */
  private record(buf: Uint8Array, pos: number, len: number, final: boolean): number {
    const row = this.row;
    const starts = row.starts;
    const ends = row.ends;
    const flags = row.flags;
    const maxColumns = this.maxColumns;
    let n = 0;
    let i = pos;
    for (;;) {
      if (n >= maxColumns) {
        throw new RosterLimitError(
          'ROSTER_LIMIT_COLUMNS',
          `第 ${this.recordNumber + 1} 行超过 ${maxColumns} 列`,
          maxColumns,
          n + 1,
        );
      }
      if (i < len && buf[i] === QUOTE) {
        let j = i + 1;
        let escaped = 0;
        let close = -1;
        for (;;) {
          const q = buf.indexOf(QUOTE, j);
          if (q < 0 || q >= len) break;
          if (q + 1 < len && buf[q + 1] === QUOTE) {
            escaped = FIELD_ESCAPED;
            j = q + 2;
            continue;
          }
          if (q + 1 >= len && !final) break;
          close = q;
          break;
        }
        if (close < 0) {
          if (!final) return INCOMPLETE;
          // An unterminated quote runs to the end of the file, as spreadsheets read it.
          close = len;
        }
        starts[n] = i + 1;
        ends[n] = close;
        flags[n] = escaped;
        i = close + 1;
        // Text between a closing quote and the next delimiter is malformed; it is dropped.
        while (i < len) {
          const c = buf[i] as number;
          if (c === COMMA || c === LF || c === CR) break;
          i++;
        }
      } else {
        const s = i;
        while (i < len) {
          const c = buf[i] as number;
          if (c <= COMMA && (c === COMMA || c === LF || c === CR)) break;
          i++;
        }
        starts[n] = s;
        ends[n] = i;
        flags[n] = 0;
      }
      if ((ends[n] as number) - (starts[n] as number) > this.maxCellBytes) {
        throw new RosterLimitError(
          'ROSTER_LIMIT_CELL',
          `第 ${this.recordNumber + 1} 行第 ${n + 1} 列的内容超过 ${this.maxCellBytes} 字节`,
          this.maxCellBytes,
          (ends[n] as number) - (starts[n] as number),
        );
      }
      n++;
      if (i >= len) {
        if (!final) return INCOMPLETE;
        row.count = n;
        return len;
      }
      const c = buf[i] as number;
      if (c === COMMA) {
        i++;
        continue;
      }
      row.count = n;
      if (c === CR) {
        if (i + 1 >= len) return final ? len : INCOMPLETE;
        return buf[i + 1] === LF ? i + 2 : i + 1;
      }
      return i + 1;
    }
  }

  private lineTooLong(bytes: number): never {
    throw new RosterLimitError(
      'ROSTER_LIMIT_LINE',
      `第 ${this.recordNumber + 1} 行超过 ${this.maxLineBytes} 字节（可能缺少配对的引号）`,
      this.maxLineBytes,
      bytes,
    );
  }
}
