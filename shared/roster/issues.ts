import type { IdIssueCode } from '#shared/roster/resident-id';

/** Codes of row-level findings. Blocking ones make the row invalid (API.md: ID or key date). */
export type RosterIssueCode =
  | IdIssueCode
  | 'ID_DUPLICATE'
  | 'DATE_MISSING'
  | 'DATE_INVALID'
  /** Warning: the key date is after the verification day (valid row, not counted). */
  | 'DATE_NOT_YET'
  /** Warning: the employment date is after the verification day (not counted as employed). */
  | 'EMPLOYMENT_NOT_YET'
  | 'DATE_ORDER'
  | 'EMPLOYMENT_INCOMPLETE'
  | 'EMPLOYER_MISSING'
  | 'NAME_MISSING'
  | 'PHONE_INVALID'
  | 'CELL_ENCODING';

/** One finding on one row. `row` is 1-based as a spreadsheet shows it (the header is usually row 1). */
export interface RosterIssue {
  row: number;
  /** The column's header as written in the file. */
  column: string;
  code: RosterIssueCode;
  /** Chinese, for the applicant; never holds a full ID or phone number. */
  message: string;
}

export const ID_MESSAGES: Record<IdIssueCode, string> = {
  ID_MISSING: '身份证号码为空',
  ID_SCIENTIFIC_NOTATION:
    '身份证号码被表格软件存成了科学计数法（如 1.41024E+17），后几位已丢失；请把该列设为“文本”格式后重新录入',
  ID_PRECISION_LOST:
    '身份证号码末几位被表格软件变成了 0（数字只保留 15 位有效数字）；请把该列设为“文本”格式后重新录入',
  ID_LEGACY_15: '15 位旧身份证号码，请改为现行的 18 位号码',
  ID_LENGTH: '身份证号码应为 18 位',
  ID_FORMAT: '身份证号码含有非法字符（前 17 位须为数字，末位为数字或 X）',
  ID_AREA: '身份证号码前两位不是有效的省级行政区划代码',
  ID_BIRTH_DATE: '身份证号码中的出生日期无效（不存在、早于 1900 年或晚于今天）',
  ID_CHECKSUM: '身份证号码校验位错误（可能录错了某一位）',
};

/**
 * A short, safe rendering of a cell for a message: at most 20 characters, long digit runs masked
 * (an ID or phone number typed into the wrong column must not leak into a report).
 */
export function safeSnippet(text: string): string {
  const short = text.length > 20 ? `${text.slice(0, 20)}…` : text;
  return short.replace(/[0-9０-９]{7,}[0-9０-９Xx]?/g, (run) =>
    run.length >= 15
      ? `${run.slice(0, 6)}${'*'.repeat(run.length - 10)}${run.slice(-4)}`
      : `${run.slice(0, 3)}${'*'.repeat(run.length - 5)}${run.slice(-2)}`,
  );
}
