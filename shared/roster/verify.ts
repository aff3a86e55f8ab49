import {
  type AccumulatorSinks,
  type PersonKeyOptions,
  RosterAccumulator,
  type RosterAggregationOptions,
  type RosterNumbers,
} from '#shared/roster/accumulator';
import { CsvTokenizer } from '#shared/roster/csv';
import { createDecoder, type Decoder, detectEncoding, type RosterEncoding } from '#shared/roster/encoding';
import { RosterFileError, RosterLimitError } from '#shared/roster/errors';
import { type ColumnMap, recognizeHeader } from '#shared/roster/header';
import type { RosterIssue } from '#shared/roster/issues';
import { type RosterLimits, resolveLimits } from '#shared/roster/limits';
import { FIELD_ESCAPED, type RowView } from '#shared/roster/row';
import { chunksOf, type RosterSource } from '#shared/roster/source';
import { readXlsx } from '#shared/roster/xlsx';

export type RosterFormat = 'csv' | 'xlsx';

export interface RosterProgress {
  /** Records read so far (CSV records or XLSX rows, header and blank rows included). */
  rowsRead: number;
  bytesRead: number;
  totalBytes?: number;
  /** 0–100, when `totalBytes` is known. */
  percent?: number;
}

export interface VerifyRosterOptions extends RosterAggregationOptions {
  limits?: Partial<RosterLimits>;
  /** Size of the object (S3 ContentLength), for `percent`. */
  totalBytes?: number;
  /** How many issues the returned stats keep (default 100); `onIssue` sees all of them. */
  maxErrorsInStats?: number;
  /** Every issue, in row order, e.g. piped into `errorReportCsv`. */
  onIssue?: (issue: RosterIssue) => void;
  /** Throttled: at most once per `progressEveryRows` rows (default 5000) or per percent, plus a last call. */
  onProgress?: (progress: RosterProgress) => void;
  progressEveryRows?: number;
  /** Off by default: an HMAC per distinct ID costs about a microsecond each. */
  personKeys?: PersonKeyOptions;
  signal?: AbortSignal;
}

export interface RosterStats extends RosterNumbers {
  kind: RosterAggregationOptions['kind'];
  format: RosterFormat;
  encoding: RosterEncoding;
}

const SNIFF_BYTES = 64 * 1024;

/**
 * Verifies one roster: sniffs the format by magic bytes (never by file name), streams the rows
 * through validation, dedup and aggregation, and returns the stats. Row problems are issues in the
 * stats (and in `onIssue`); file problems throw `RosterFileError`, caps throw `RosterLimitError`.
 * A CSV is refused as soon as a cap is crossed, so callbacks may already have run: whatever they
 * received belongs to a failed verification and must be discarded by the caller. (An XLSX is vetted
 * whole before its first row, so a refused workbook calls back nothing but progress.)
 */
export async function verifyRoster(source: RosterSource, options: VerifyRosterOptions): Promise<RosterStats> {
  const limits = resolveLimits(options.limits);
  const input = new ByteSource(chunksOf(source), limits.maxBytes, options.signal);
  try {
    const prefix = await input.gather((b) => b.length >= SNIFF_BYTES || hasLineAfterContent(b));
    if (prefix.length === 0) throw new RosterFileError('ROSTER_EMPTY', '文件是空的');
    const progress = new ProgressMeter(options);
    if (startsWith(prefix, ZIP_MAGIC)) return await verifyXlsx(input, prefix, options, limits, progress);
    if (startsWith(prefix, OLE_MAGIC)) {
      throw new RosterFileError(
        'ROSTER_FORMAT_XLS',
        '不支持旧版 .xls 或加密的工作簿，请另存为 .xlsx（不加密码）或 CSV 后上传',
      );
    }
    return await verifyCsv(input, prefix, options, limits, progress);
  } finally {
    await input.close();
  }
}

async function verifyCsv(
  input: ByteSource,
  prefix: Uint8Array,
  options: VerifyRosterOptions,
  limits: RosterLimits,
  progress: ProgressMeter,
): Promise<RosterStats> {
  const { encoding, bomLength } = detectEncoding(prefix);
  if (prefix.includes(0)) {
    throw new RosterFileError('ROSTER_FORMAT_UNKNOWN', '无法识别的文件格式，请上传 CSV 或 .xlsx 花名册');
  }
  const decoder = createDecoder(encoding);
  const acc = new RosterAccumulator(options, sinks(options, limits.maxRows, 'ROSTER_LIMIT_ROWS', limits));
  let header: ColumnMap | null = null;
  let records = 0;
  const tokenizer = new CsvTokenizer(limits, (recordNumber, row) => {
    records = recordNumber;
    if (header !== null) acc.addRow(recordNumber, row);
    else if (!isBlankRecord(row)) {
      header = recognizeHeader(options.kind, headerCells(row, decoder));
      acc.begin(header, decoder, false);
    }
  });
  tokenizer.push(prefix.subarray(bomLength));
  progress.tick(records, input.bytesRead);
  for (let chunk = await input.next(); chunk !== null; chunk = await input.next()) {
    tokenizer.push(chunk);
    progress.tick(records, input.bytesRead);
  }
  tokenizer.end();
  if (header === null) throw new RosterFileError('ROSTER_EMPTY', '文件中没有表头和数据');
  progress.done(records, input.bytesRead);
  return { kind: options.kind, format: 'csv', encoding, ...acc.result() };
}

async function verifyXlsx(
  input: ByteSource,
  prefix: Uint8Array,
  options: VerifyRosterOptions,
  limits: RosterLimits,
  progress: ProgressMeter,
): Promise<RosterStats> {
  const maxRows = Math.min(limits.maxRows, limits.maxXlsxRows);
  const acc = new RosterAccumulator(options, sinks(options, maxRows, 'ROSTER_LIMIT_XLSX_ROWS', limits));
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let header: ColumnMap | null = null;
  let records = 0;
  let date1904 = false;
  input.unshift(prefix);
  await readXlsx(input, limits, {
    onWorkbook: (info) => {
      date1904 = info.date1904;
    },
    onRow: (rowNumber, row) => {
      records++;
      if (header !== null) acc.addRow(rowNumber, row);
      else if (!isBlankRecord(row)) {
        header = recognizeHeader(options.kind, headerCells(row, decoder));
        acc.begin(header, decoder, date1904);
        return acc.columnsRead();
      }
      return undefined;
    },
    // Reading the archive is the first half of the work, parsing the worksheet the second.
    onProgress: (sheetPercent) => {
      const total = options.totalBytes;
      const percent =
        sheetPercent !== undefined
          ? 50 + sheetPercent / 2
          : total !== undefined && total > 0
            ? Math.min(50, (input.bytesRead * 50) / total)
            : undefined;
      progress.tick(records, input.bytesRead, percent);
    },
    signal: options.signal,
  });
  if (header === null) throw new RosterFileError('ROSTER_EMPTY', '工作表中没有表头和数据');
  progress.done(records, input.bytesRead);
  return { kind: options.kind, format: 'xlsx', encoding: 'utf-8', ...acc.result() };
}

function sinks(
  options: VerifyRosterOptions,
  max: number,
  code: 'ROSTER_LIMIT_ROWS' | 'ROSTER_LIMIT_XLSX_ROWS',
  limits: RosterLimits,
): AccumulatorSinks {
  const message =
    code === 'ROSTER_LIMIT_XLSX_ROWS' && limits.maxXlsxRows < limits.maxRows
      ? `.xlsx 花名册超过 ${max} 行，请另存为 CSV（UTF-8）后上传（CSV 最多 ${limits.maxRows} 行）`
      : `花名册超过 ${max} 行`;
  return {
    maxErrorsInStats: options.maxErrorsInStats ?? 100,
    onIssue: options.onIssue,
    personKeys: options.personKeys,
    rowLimit: { max, code, message },
    // ~100 bytes a row in the reference roster; an XLSX row costs ~35 compressed bytes.
    expectedRows:
      options.totalBytes === undefined
        ? undefined
        : options.totalBytes / (code === 'ROSTER_LIMIT_ROWS' ? 100 : 35),
  };
}

function headerCells(row: RowView, decoder: Decoder): string[] {
  const cells: string[] = [];
  for (let c = 0; c < row.count; c++) {
    let text: string;
    try {
      text = decoder.decode(row.buf.subarray(row.starts[c], row.ends[c]));
    } catch {
      text = '';
    }
    cells.push(((row.flags[c] as number) & FIELD_ESCAPED) !== 0 ? text.replaceAll('""', '"') : text);
  }
  return cells;
}

function isBlankRecord(row: RowView): boolean {
  const b = row.buf;
  for (let c = 0; c < row.count; c++) {
    for (let i = row.starts[c] as number; i < (row.ends[c] as number); i++) {
      const x = b[i] as number;
      if (x !== 32 && x !== 9) return false;
    }
  }
  return true;
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04] as const;
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0] as const;

function startsWith(b: Uint8Array, magic: readonly number[]): boolean {
  return magic.every((m, i) => b[i] === m);
}

/** True once a line break follows some non-blank byte: the header line is complete. */
function hasLineAfterContent(b: Uint8Array): boolean {
  let content = false;
  for (let i = 0; i < b.length; i++) {
    const c = b[i] as number;
    if (c === 10 || c === 13) {
      if (content) return true;
    } else if (c !== 32 && c !== 9 && c !== 44) content = true;
  }
  return false;
}

/** Chunks with a byte cap, abort, push-back of one chunk and a way to stop the producer. */
export class ByteSource {
  bytesRead = 0;
  private pushedBack: Uint8Array | null = null;
  private readonly it: AsyncIterator<Uint8Array>;

  constructor(
    chunks: AsyncIterable<Uint8Array>,
    private readonly maxBytes: number,
    private readonly signal?: AbortSignal,
  ) {
    this.it = chunks[Symbol.asyncIterator]();
  }

  async next(): Promise<Uint8Array | null> {
    const back = this.pushedBack;
    if (back !== null) {
      this.pushedBack = null;
      return back;
    }
    this.signal?.throwIfAborted();
    const r = await this.it.next();
    if (r.done) return null;
    this.bytesRead += r.value.length;
    if (this.bytesRead > this.maxBytes) {
      throw new RosterLimitError(
        'ROSTER_LIMIT_BYTES',
        `文件超过 ${this.maxBytes} 字节`,
        this.maxBytes,
        this.bytesRead,
      );
    }
    return r.value;
  }

  unshift(chunk: Uint8Array): void {
    this.pushedBack = chunk;
  }

  /** Reads chunks until `enough(prefix)` or the end, and returns them joined. */
  async gather(enough: (prefix: Uint8Array) => boolean): Promise<Uint8Array> {
    let prefix = new Uint8Array(0);
    while (!enough(prefix)) {
      const chunk = await this.next();
      if (chunk === null) break;
      const joined = new Uint8Array(prefix.length + chunk.length);
      joined.set(prefix);
      joined.set(chunk, prefix.length);
      prefix = joined;
    }
    return prefix;
  }

  async close(): Promise<void> {
    await this.it.return?.();
  }
}

class ProgressMeter {
  private nextRows: number;
  private nextPercent = 1;
  private readonly every: number;

  constructor(private readonly options: VerifyRosterOptions) {
    this.every = options.progressEveryRows ?? 5000;
    this.nextRows = this.every;
  }

  tick(rowsRead: number, bytesRead: number, percentOverride?: number): void {
    if (this.options.onProgress === undefined) return;
    const percent = percentOverride ?? this.percentOf(bytesRead);
    const byPercent = percent !== undefined && percent >= this.nextPercent;
    if (rowsRead < this.nextRows && !byPercent) return;
    this.nextRows = rowsRead + this.every;
    if (percent !== undefined) this.nextPercent = Math.floor(percent) + 1;
    this.emit(rowsRead, bytesRead, percent);
  }

  done(rowsRead: number, bytesRead: number): void {
    if (this.options.onProgress === undefined) return;
    this.emit(rowsRead, bytesRead, this.options.totalBytes !== undefined ? 100 : undefined);
  }

  private percentOf(bytesRead: number): number | undefined {
    const total = this.options.totalBytes;
    if (total === undefined || total <= 0) return undefined;
    return Math.min(100, Math.floor((bytesRead * 100) / total));
  }

  private emit(rowsRead: number, bytesRead: number, percent: number | undefined): void {
    const p: RosterProgress = { rowsRead, bytesRead };
    if (this.options.totalBytes !== undefined) p.totalBytes = this.options.totalBytes;
    if (percent !== undefined) p.percent = Math.floor(percent);
    this.options.onProgress?.(p);
  }
}
