/**
 * CSV that Excel and WPS open as people expect: UTF-8 with a BOM, CRLF rows, RFC 4180 quoting, and
 * cells that a spreadsheet would run as a formula neutralised (OWASP CSV injection: a leading
 * `=`, `+`, `-`, `@`, tab or CR gets a `'` in front).
 */
export const UTF8_BOM = '\uFEFF';

export function neutraliseFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** One field, always quoted, inner quotes doubled. */
export function csvField(value: string | number | boolean | null | undefined): string {
  const text = value === null || value === undefined ? '' : String(value);
  return `"${neutraliseFormula(text).replaceAll('"', '""')}"`;
}

export function csvLine(values: readonly (string | number | boolean | null | undefined)[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

/** A whole table as CSV text starting with the BOM. */
export function toCsv(
  header: readonly string[],
  rows: readonly (readonly (string | number | boolean | null | undefined)[])[],
): string {
  return UTF8_BOM + csvLine(header) + rows.map(csvLine).join('');
}
