import { strToU8, zipSync } from 'fflate';
import { escapeXml } from '../documents/docx';

/**
 * A one-sheet XLSX workbook whose every cell is an inline string: numbers, dates and anything
 * starting with `=` stay text, so opening an export never runs a formula or reformats a code.
 */
export function renderXlsx(
  sheetName: string,
  header: readonly string[],
  rows: readonly (readonly (string | number | boolean | null | undefined)[])[],
): Uint8Array {
  const cell = (value: string | number | boolean | null | undefined, column: number, row: number) => {
    const text = value === null || value === undefined ? '' : String(value);
    return `<c r="${columnName(column)}${row}" t="inlineStr"><is><t xml:space="preserve">${escapeXml(text)}</t></is></c>`;
  };
  const sheetRows = [header, ...rows]
    .map((values, r) => `<row r="${r + 1}">${values.map((value, c) => cell(value, c, r + 1)).join('')}</row>`)
    .join('');
  const xml = (body: string) => `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n${body}`;
  return zipSync(
    {
      '[Content_Types].xml': strToU8(
        xml(
          '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        ),
      ),
      '_rels/.rels': strToU8(
        xml(
          '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        ),
      ),
      'xl/workbook.xml': strToU8(
        xml(
          `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="${escapeXml(sheetName.slice(0, 31))}" sheetId="1" r:id="rId1"/></sheets></workbook>`,
        ),
      ),
      'xl/_rels/workbook.xml.rels': strToU8(
        xml(
          '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        ),
      ),
      'xl/worksheets/sheet1.xml': strToU8(
        xml(
          `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${sheetRows}</sheetData></worksheet>`,
        ),
      ),
    },
    { level: 6 },
  );
}

/** 0 → A, 25 → Z, 26 → AA. */
export function columnName(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26))
    name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}
