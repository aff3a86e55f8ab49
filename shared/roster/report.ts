import { csvField } from '#shared/exports/csv';
import type { RosterIssue } from '#shared/roster/issues';
import { maskId } from '#shared/roster/resident-id';

/**
 * The downloadable error report: UTF-8 with BOM (so Excel opens it as UTF-8), columns
 * 行号,列,代码,原因, every value quoted. Cells that a spreadsheet would run as a formula are
 * prefixed with `'`, and anything shaped like an ID or a mobile number is masked again here, so
 * the report is safe whatever a message or a header contains.
 */
export const ERROR_REPORT_HEADER = ['行号', '列', '代码', '原因'] as const;
const BOM = '\ufeff';

export function errorReportHeaderLine(): string {
  return `${BOM}${ERROR_REPORT_HEADER.map(csvCell).join(',')}\r\n`;
}

export function errorReportLine(issue: RosterIssue): string {
  return `${[String(issue.row), issue.column, issue.code, issue.message].map(csvCell).join(',')}\r\n`;
}

/** Streams the report as UTF-8 bytes, batching lines into chunks of about 64 KiB. */
export async function* errorReportCsv(
  issues: Iterable<RosterIssue> | AsyncIterable<RosterIssue>,
): AsyncGenerator<Uint8Array, void, undefined> {
  const encoder = new TextEncoder();
  let batch = errorReportHeaderLine();
  for await (const issue of issues) {
    batch += errorReportLine(issue);
    if (batch.length >= 32 * 1024) {
      yield encoder.encode(batch);
      batch = '';
    }
  }
  if (batch.length > 0) yield encoder.encode(batch);
}

/** One CSV cell: PII masked, formula triggers neutralised, quoted with inner quotes doubled. */
export function csvCell(value: string): string {
  return csvField(maskPersonalNumbers(value));
}

/** 18- and 15-character ID shapes → `141024********123X`; 11-digit mobiles → `138****5678`. */
export function maskPersonalNumbers(text: string): string {
  return text
    .replace(/(?<![0-9])[0-9]{17}[0-9Xx](?![0-9Xx])|(?<![0-9])[0-9]{15}(?![0-9])/g, (id) => maskId(id))
    .replace(/(?<![0-9])1[3-9][0-9]{9}(?![0-9])/g, (m) => `${m.slice(0, 3)}****${m.slice(-4)}`);
}
