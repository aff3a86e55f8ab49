import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { csvField, toCsv } from '#shared/exports/csv';
import { columnName, renderXlsx } from '#shared/exports/xlsx';

describe('CSV exports', () => {
  it('starts with a BOM and ends rows with CRLF so Excel and WPS read UTF-8', () => {
    const csv = toCsv(['证书编号', '名称'], [['LF-2021-B-001', '洪洞护工']]);
    expect(csv.startsWith('\uFEFF"证书编号","名称"\r\n')).toBe(true);
    expect(csv.endsWith('"LF-2021-B-001","洪洞护工"\r\n')).toBe(true);
  });

  it.each(['=HYPERLINK("http://evil","点我")', '+1+1', '-2+3', '@SUM(A1)', '\tcmd', '\rcmd'])(
    'neutralises a cell a spreadsheet would run as a formula: %j',
    (value) => {
      expect(csvField(value).startsWith(`"'`)).toBe(true);
    },
  );

  it('quotes commas, quotes and newlines per RFC 4180', () => {
    expect(csvField('甲,乙 "丙"\n丁')).toBe('"甲,乙 ""丙""\n丁"');
  });

  it('writes numbers and empty values as plain fields', () => {
    expect(csvField(12)).toBe('"12"');
    expect(csvField(undefined)).toBe('""');
  });
});

describe('XLSX exports', () => {
  it('writes every cell as an inline string, so formulas stay text and codes keep their zeros', () => {
    const files = unzipSync(
      renderXlsx(
        '认定名单',
        ['编码', '名称'],
        [
          ['0357', '=HYPERLINK("x")'],
          [42, null],
        ],
      ),
    );
    const sheet = strFromU8(files['xl/worksheets/sheet1.xml'] ?? new Uint8Array());
    expect(sheet).not.toContain('<f>');
    expect(sheet).toContain('<c r="A2" t="inlineStr"><is><t xml:space="preserve">0357</t></is></c>');
    expect(sheet).toContain('=HYPERLINK(&quot;x&quot;)');
    expect(sheet).toContain('<c r="A3" t="inlineStr"><is><t xml:space="preserve">42</t></is></c>');
    expect(strFromU8(files['xl/workbook.xml'] ?? new Uint8Array())).toContain('name="认定名单"');
  });

  it('names columns past Z as Excel does', () => {
    expect([0, 25, 26, 51, 52, 701, 702].map(columnName)).toEqual(['A', 'Z', 'AA', 'AZ', 'BA', 'ZZ', 'AAA']);
  });
});
