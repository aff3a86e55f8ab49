import { hash } from 'node:crypto';
import {
  chinaDateCode,
  DATE_EMPTY,
  DATE_UNREADABLE,
  formatDateCode,
  isoToDateCode,
  parseDateBytes,
  parseDateText,
} from '#shared/roster/dates';
import type { Decoder } from '#shared/roster/encoding';
import { type RosterLimitCode, RosterLimitError } from '#shared/roster/errors';
import type { ColumnMap, RosterField, RosterKind } from '#shared/roster/header';
import { ID_TABLE_MAX_ROW, IdTable } from '#shared/roster/id-table';
import { ID_MESSAGES, type RosterIssue, type RosterIssueCode, safeSnippet } from '#shared/roster/issues';
import {
  checkIdBytes,
  ID_ISSUE_CODES,
  ID_OK,
  type IdIssueCode,
  idKey,
  maskId,
  normaliseIdText,
} from '#shared/roster/resident-id';
import { FIELD_ESCAPED, FIELD_NUMERIC, type RowView } from '#shared/roster/row';

/** What the numbers depend on; deliberately not the round configuration itself. */
export interface RosterAggregationOptions {
  kind: RosterKind;
  roundYear: number;
  /** `YYYY-MM-DD`: start of the transfer window of an output roster (base: 2020-01-01). */
  transferredSince?: string;
  /**
   * The day the roster is verified (taken as a date in China, UTC+8): a key date after it has not
   * happened yet, so the row is valid but not counted; an employment date after it is not counted.
   */
  today: Date;
}

export interface PersonKeyOptions {
  /** HMAC-SHA256 secret of the cross-case person index; the plain ID is never handed out. */
  secret: string | Uint8Array;
  /** Called once per distinct valid ID with its base64url HMAC of the 18-character ID. */
  onKey: (key: string, row: number) => void;
}

export interface AccumulatorSinks {
  maxErrorsInStats: number;
  onIssue?: ((issue: RosterIssue) => void) | undefined;
  personKeys?: PersonKeyOptions | undefined;
  rowLimit: { max: number; code: RosterLimitCode; message: string };
  /** A guess of the data rows (e.g. object size / 100 B), to size the dedup table once. */
  expectedRows?: number | undefined;
}

export interface RosterNumbers {
  rows: number;
  validRows: number;
  invalidRows: number;
  duplicateRows: number;
  distinctPersons: number;
  errors: RosterIssue[];
  /** All issues found; `errors` holds the first `maxErrorsInStats` of them. */
  errorsTotal: number;
  /**
   * Findings that do not make a row wrong (dates after the verification day: 尚未发生，不计入);
   * the first `maxErrorsInStats` of `warningsTotal`. `onIssue` sees them too.
   */
  warnings: RosterIssue[];
  warningsTotal: number;
  /** Valid rows whose key date (结业日期/输出日期) is after the verification day: not counted. */
  notYetRows: number;
  /** Valid training rows whose 就业日期 is after the verification day: not counted as employed. */
  notYetEmployed: number;
  trainedInYear?: number;
  employedOfTrained?: number;
  employmentRate?: number;
  outputInYear?: number;
  transferredSinceStart?: number;
}

const TRAINED = 1;
const EMPLOYED = 2;
const OUTPUT = 1;
const TRANSFERRED = 2;
const SPACE = 32;
const TAB = 9;

/**
 * Row validation, in-file dedup and the numbers, fed one `RowView` at a time by either reader.
 * Per-row state lives in fields (no closures, no per-row objects) because this runs a million times.
 */
export class RosterAccumulator {
  private rows = 0;
  private validRows = 0;
  private invalidRows = 0;
  private duplicateRows = 0;
  private counted1 = 0;
  private counted2 = 0;
  private errorsTotal = 0;
  private readonly errors: RosterIssue[] = [];
  private warningsTotal = 0;
  private readonly warnings: RosterIssue[] = [];
  private notYetRows = 0;
  private notYetEmployed = 0;
  private readonly table: IdTable;
  private readonly kind: RosterKind;
  private readonly roundYear: number;
  private readonly todayCode: number;
  private readonly sinceCode: number;
  private readonly yearEndCode: number;
  private readonly hmac: PersonKeyHmac | null;
  private readonly idScratch = new Uint8Array(64);
  private labels: ColumnMap['label'] = {};
  private decoder: Decoder = new TextDecoder();
  private date1904 = false;
  private cId = -1;
  private cKey = -1;
  private cName = -1;
  private cPhone = -1;
  private cEmployer = -1;
  private cEmpDate = -1;
  private cStart = -1;
  /** Trimmed range of the last `trim()`. */
  private ts = 0;
  private te = 0;
  private rowBlocked = false;
  private rowEmployed = false;
  /** The row's key date is after the verification day. */
  private rowNotYet = false;
  /** The row's employment date is after the verification day. */
  private rowEmployedNotYet = false;

  constructor(
    options: RosterAggregationOptions,
    private readonly sinks: AccumulatorSinks,
  ) {
    this.kind = options.kind;
    this.roundYear = options.roundYear;
    this.todayCode = chinaDateCode(options.today);
    this.sinceCode = options.transferredSince === undefined ? -1 : isoToDateCode(options.transferredSince);
    this.yearEndCode = options.roundYear * 10000 + 1231;
    this.hmac = sinks.personKeys ? new PersonKeyHmac(sinks.personKeys.secret) : null;
    // Sized up front from the expected row count, the table never rehashes on the way (a rehash
    // costs time and holds old and new tables at once).
    this.table = new IdTable(Math.min(sinks.expectedRows ?? 0, sinks.rowLimit.max) / 0.7);
  }

  /** Column positions from the header; `decoder` for the rare cells that need their text. */
  begin(columns: ColumnMap, decoder: Decoder, date1904: boolean): void {
    const at = (f: RosterField): number => columns.index[f] ?? -1;
    this.labels = columns.label;
    this.decoder = decoder;
    this.date1904 = date1904;
    this.cId = at('id');
    this.cKey = this.kind === 'training' ? at('completionDate') : at('outputDate');
    this.cName = at('name');
    this.cPhone = at('phone');
    this.cEmployer = at('employer');
    this.cEmpDate = this.kind === 'training' ? at('employmentDate') : -1;
    this.cStart = this.kind === 'training' ? at('trainingStart') : -1;
  }

  /** Column indexes this accumulator reads (an XLSX reader skips the rest). */
  columnsRead(): number[] {
    return [this.cId, this.cKey, this.cName, this.cPhone, this.cEmployer, this.cEmpDate, this.cStart].filter(
      (c) => c >= 0,
    );
  }

  addRow(rowNumber: number, row: RowView): void {
    if (this.isBlank(row)) return;
    if (++this.rows > this.sinks.rowLimit.max) {
      const { code, message, max } = this.sinks.rowLimit;
      throw new RosterLimitError(code, message, max, this.rows);
    }
    if (rowNumber > ID_TABLE_MAX_ROW) {
      throw new RosterLimitError(
        'ROSTER_LIMIT_ROWS',
        `行号超过 ${ID_TABLE_MAX_ROW}`,
        ID_TABLE_MAX_ROW,
        rowNumber,
      );
    }
    this.rowBlocked = false;
    this.rowNotYet = false;
    this.rowEmployedNotYet = false;
    const idResult = this.checkId(rowNumber, row);
    const keyDate = this.checkKeyDate(rowNumber, row);
    this.checkOptional(rowNumber, row, keyDate);
    if (this.rowBlocked) {
      this.invalidRows++;
      return;
    }
    this.validRows++;
    if (this.rowEmployedNotYet) this.notYetEmployed++;
    const table = this.table;
    if (table.upsert(idKey.hi, idKey.lo, rowNumber)) {
      if (this.hmac !== null) this.emitPersonKey(rowNumber, idResult);
    } else {
      this.duplicateRows++;
      this.issue(rowNumber, 'id', 'ID_DUPLICATE', `与第 ${table.firstRow()} 行的身份证号码重复`);
    }
    // Valid and deduplicated, but what has not happened yet is not counted (issue 13, item 4).
    if (this.rowNotYet) {
      this.notYetRows++;
      return;
    }
    const year = (keyDate / 10000) | 0;
    let bits = 0;
    if (this.kind === 'training') {
      if (year === this.roundYear) bits = this.rowEmployed ? TRAINED | EMPLOYED : TRAINED;
    } else {
      if (year === this.roundYear) bits = OUTPUT;
      if (this.sinceCode > 0 && keyDate >= this.sinceCode && keyDate <= this.yearEndCode) bits |= TRANSFERRED;
    }
    if (bits !== 0) {
      const added = table.addFlags(bits);
      if ((added & 1) !== 0) this.counted1++;
      if ((added & 2) !== 0) this.counted2++;
    }
  }

  result(): RosterNumbers {
    const base: RosterNumbers = {
      rows: this.rows,
      validRows: this.validRows,
      invalidRows: this.invalidRows,
      duplicateRows: this.duplicateRows,
      distinctPersons: this.table.size,
      errors: this.errors,
      errorsTotal: this.errorsTotal,
      warnings: this.warnings,
      warningsTotal: this.warningsTotal,
      notYetRows: this.notYetRows,
      notYetEmployed: this.notYetEmployed,
    };
    if (this.kind === 'training') {
      base.trainedInYear = this.counted1;
      base.employedOfTrained = this.counted2;
      base.employmentRate = this.counted1 === 0 ? 0 : this.counted2 / this.counted1;
    } else {
      base.outputInYear = this.counted1;
      if (this.sinceCode > 0) base.transferredSinceStart = this.counted2;
    }
    return base;
  }

  /** A row is blank when every column the roster reads is blank (pre-numbered template rows too). */
  private isBlank(row: RowView): boolean {
    return (
      !this.trim(row, this.cId) &&
      !this.trim(row, this.cKey) &&
      !this.trim(row, this.cName) &&
      !this.trim(row, this.cEmployer) &&
      !this.trim(row, this.cEmpDate) &&
      !this.trim(row, this.cPhone) &&
      !this.trim(row, this.cStart)
    );
  }

  /** Sets `ts`/`te` to the cell's range without ASCII spaces and tabs; false when it is blank. */
  private trim(row: RowView, col: number): boolean {
    if (col < 0 || col >= row.count) {
      this.ts = this.te = 0;
      return false;
    }
    const b = row.buf;
    let s = row.starts[col] as number;
    let e = row.ends[col] as number;
    while (s < e && (b[s] === SPACE || b[s] === TAB)) s++;
    while (e > s && (b[e - 1] === SPACE || b[e - 1] === TAB)) e--;
    this.ts = s;
    this.te = e;
    return e > s;
  }

  private checkId(rowNumber: number, row: RowView): number {
    const col = this.cId;
    this.trim(row, col);
    const b = row.buf;
    const s = this.ts;
    const e = this.te;
    let result: number;
    let fast = ((row.flags[col] as number) & FIELD_ESCAPED) === 0;
    for (let i = s; fast && i < e; i++) {
      const c = b[i] as number;
      if (c >= 0x80 || c === SPACE || c === 39 || c === 61 || c === 34) fast = false;
    }
    if (fast) {
      result = checkIdBytes(b, s, e, this.todayCode);
      this.idBuf = b;
      this.idStart = s;
    } else {
      const text = this.cellText(row, col);
      const ascii = text === null ? null : normaliseIdText(text);
      if (ascii === null) result = ID_ISSUE_CODES.indexOf('ID_FORMAT');
      else if (ascii.length > this.idScratch.length) result = ID_ISSUE_CODES.indexOf('ID_LENGTH');
      else {
        const scratch = this.idScratch;
        for (let i = 0; i < ascii.length; i++) scratch[i] = ascii.charCodeAt(i);
        result = checkIdBytes(scratch, 0, ascii.length, this.todayCode);
        this.idBuf = scratch;
        this.idStart = 0;
      }
    }
    if (result === ID_OK) return result;
    let code = ID_ISSUE_CODES[result] as IdIssueCode;
    // A number cell cannot hold 18 digits exactly: a wrong check digit there is lost precision.
    if (code === 'ID_CHECKSUM' && ((row.flags[col] as number) & FIELD_NUMERIC) !== 0)
      code = 'ID_PRECISION_LOST';
    this.rowBlocked = true;
    const text = code === 'ID_MISSING' ? '' : (this.cellText(row, col) ?? '');
    const shown = code === 'ID_MISSING' ? '' : `：${maskId(text)}`;
    const length = code === 'ID_LENGTH' ? `，实为 ${text.trim().length} 位` : '';
    this.issue(rowNumber, 'id', code, `${ID_MESSAGES[code]}${length}${shown}`);
    return result;
  }

  private idBuf: Uint8Array = this.idScratch;
  private idStart = 0;

  private checkKeyDate(rowNumber: number, row: RowView): number {
    const field: RosterField = this.kind === 'training' ? 'completionDate' : 'outputDate';
    const code = this.dateAt(row, this.cKey);
    if (code === DATE_EMPTY) {
      this.rowBlocked = true;
      this.issue(rowNumber, field, 'DATE_MISSING', `${this.keyDateName()}为空`);
    } else if (code === DATE_UNREADABLE) {
      this.rowBlocked = true;
      this.issue(rowNumber, field, 'DATE_INVALID', this.unreadableDate(row, this.cKey));
    } else if (code > this.todayCode) {
      // Not an error: a roster may list people whose training ends (or who leave) after the upload.
      this.rowNotYet = true;
      this.warning(
        rowNumber,
        field,
        'DATE_NOT_YET',
        `${this.keyDateName()} ${formatDateCode(code)} 晚于核实日期 ${formatDateCode(this.todayCode)}，尚未发生，不计入`,
      );
    }
    return code;
  }

  private checkOptional(rowNumber: number, row: RowView, keyDate: number): void {
    if (this.cName >= 0 && !this.trim(row, this.cName))
      this.issue(rowNumber, 'name', 'NAME_MISSING', '姓名为空');
    if (this.cPhone >= 0 && this.trim(row, this.cPhone) && !this.isMobile(row, this.cPhone)) {
      this.issue(
        rowNumber,
        'phone',
        'PHONE_INVALID',
        '联系电话不是有效的手机号码（应为 11 位数字，以 13–19 开头）',
      );
    }
    if (this.kind === 'output') {
      if (!this.trim(row, this.cEmployer))
        this.issue(rowNumber, 'employer', 'EMPLOYER_MISSING', '就业单位为空');
      return;
    }
    this.checkEmployment(rowNumber, row);
    if (this.cStart >= 0) {
      const start = this.dateAt(row, this.cStart);
      if (start === DATE_UNREADABLE) {
        this.issue(rowNumber, 'trainingStart', 'DATE_INVALID', this.unreadableDate(row, this.cStart));
      } else if (start > 0 && keyDate > 0 && start > keyDate) {
        this.issue(rowNumber, 'trainingStart', 'DATE_ORDER', '培训开始日期晚于结业日期');
      }
    }
  }

  /**
   * Employed = employer named and a readable employment date not in the future (training roster).
   * Half-filled pairs and bad dates are reported but do not block the row.
   */
  private checkEmployment(rowNumber: number, row: RowView): void {
    const hasEmployer = this.trim(row, this.cEmployer);
    const date = this.dateAt(row, this.cEmpDate);
    this.rowEmployed = hasEmployer && date > 0 && date <= this.todayCode;
    if (date === DATE_UNREADABLE) {
      this.issue(rowNumber, 'employmentDate', 'DATE_INVALID', this.unreadableDate(row, this.cEmpDate));
    } else if (date > this.todayCode) {
      this.rowEmployedNotYet = true;
      this.warning(
        rowNumber,
        'employmentDate',
        'EMPLOYMENT_NOT_YET',
        `就业日期 ${formatDateCode(date)} 晚于核实日期 ${formatDateCode(this.todayCode)}，尚未发生，不计入就业人数`,
      );
    } else if (hasEmployer !== date > 0) {
      this.issue(
        rowNumber,
        hasEmployer ? 'employmentDate' : 'employer',
        'EMPLOYMENT_INCOMPLETE',
        hasEmployer ? '有就业单位但缺少就业日期，未计入就业人数' : '有就业日期但缺少就业单位，未计入就业人数',
      );
    }
  }

  private dateAt(row: RowView, col: number): number {
    if (!this.trim(row, col)) return DATE_EMPTY;
    const b = row.buf;
    const s = this.ts;
    const e = this.te;
    let ascii = ((row.flags[col] as number) & FIELD_ESCAPED) === 0;
    for (let i = s; ascii && i < e; i++) if ((b[i] as number) >= 0x80) ascii = false;
    if (ascii) return parseDateBytes(b, s, e, this.date1904);
    const text = this.cellText(row, col);
    return text === null ? DATE_UNREADABLE : parseDateText(text, this.date1904);
  }

  /** `1[3-9]` + 9 digits; spaces, dashes and a +86/86 prefix tolerated. No strings on the ASCII path. */
  private isMobile(row: RowView, col: number): boolean {
    const b = row.buf;
    let bytes: Uint8Array = b;
    let s = this.ts;
    let e = this.te;
    for (let i = s; i < e; i++) {
      if ((b[i] as number) >= 0x80) {
        const text = this.cellText(row, col);
        if (text === null) return false;
        const folded = text.normalize('NFKC');
        bytes = new Uint8Array(folded.length);
        for (let k = 0; k < folded.length; k++) bytes[k] = Math.min(folded.charCodeAt(k), 0xff);
        s = 0;
        e = bytes.length;
        break;
      }
    }
    const digits = this.phoneDigits;
    let n = 0;
    for (let i = s; i < e; i++) {
      const c = bytes[i] as number;
      if (c >= 48 && c <= 57) {
        if (n === digits.length) return false;
        digits[n++] = c;
      } else if (c !== SPACE && c !== 45 && !(c === 43 && n === 0)) return false;
    }
    let at = 0;
    if (n === 13 && digits[0] === 56 && digits[1] === 54) at = 2;
    else if (n !== 11) return false;
    const second = digits[at + 1] as number;
    return digits[at] === 49 && second >= 51 && second <= 57;
  }

  private readonly phoneDigits = new Uint8Array(13);

  private cellText(row: RowView, col: number): string | null {
    if (col < 0 || col >= row.count) return '';
    try {
      const text = this.decoder.decode(row.buf.subarray(row.starts[col], row.ends[col]));
      return ((row.flags[col] as number) & FIELD_ESCAPED) !== 0 ? text.replaceAll('""', '"') : text;
    } catch {
      return null;
    }
  }

  private unreadableDate(row: RowView, col: number): string {
    const text = this.cellText(row, col);
    return text === null ? '日期含有无法识别的字符' : `无法识别的日期“${safeSnippet(text.trim())}”`;
  }

  private keyDateName(): string {
    return this.kind === 'training' ? '结业日期' : '输出日期';
  }

  private emitPersonKey(rowNumber: number, idResult: number): void {
    if (idResult !== ID_OK || this.hmac === null || this.sinks.personKeys === undefined) return;
    this.sinks.personKeys.onKey(this.hmac.digest(this.idBuf, this.idStart), rowNumber);
  }

  private issue(row: number, field: RosterField, code: RosterIssueCode, message: string): void {
    const issue: RosterIssue = { row, column: this.labels[field] ?? field, code, message };
    this.errorsTotal++;
    if (this.errors.length < this.sinks.maxErrorsInStats) this.errors.push(issue);
    this.sinks.onIssue?.(issue);
  }

  private warning(row: number, field: RosterField, code: RosterIssueCode, message: string): void {
    const issue: RosterIssue = { row, column: this.labels[field] ?? field, code, message };
    this.warningsTotal++;
    if (this.warnings.length < this.sinks.maxErrorsInStats) this.warnings.push(issue);
    this.sinks.onIssue?.(issue);
  }
}

/**
 * HMAC-SHA256 (RFC 2104) of an 18-character ID, as base64url. Built from two one-shot `hash` calls
 * over preallocated pads: the same digest as `createHmac('sha256', secret)`, about twice as fast,
 * because a million `Hmac` objects are what makes person keys expensive.
 */
export class PersonKeyHmac {
  private readonly inner = new Uint8Array(64 + 18);
  private readonly outer = new Uint8Array(64 + 32);

  constructor(secret: string | Uint8Array) {
    let key: Uint8Array = typeof secret === 'string' ? new TextEncoder().encode(secret) : secret;
    if (key.length === 0) throw new RangeError('person key secret must not be empty');
    if (key.length > 64) key = hash('sha256', key, 'buffer');
    for (let i = 0; i < 64; i++) {
      const k = key[i] ?? 0;
      this.inner[i] = k ^ 0x36;
      this.outer[i] = k ^ 0x5c;
    }
  }

  /** `id` is 18 ASCII bytes at `at`; a lowercase x is keyed as X. */
  digest(id: Uint8Array, at: number): string {
    const inner = this.inner;
    for (let i = 0; i < 18; i++) {
      const c = id[at + i] as number;
      inner[64 + i] = c === 120 ? 88 : c;
    }
    this.outer.set(hash('sha256', inner, 'buffer'), 64);
    return hash('sha256', this.outer, 'base64url');
  }
}
