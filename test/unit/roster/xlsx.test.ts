import { strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { RosterLimitError } from '#shared/roster/index';
import { buildXlsx, type XlsxCell, zipEntries } from '../../fixtures/roster/xlsx';
import { chunked, codesOf, makeId, verifyBytes } from './helpers';

const A = makeId('141024', '19900101', '101');
const B = makeId('141002', '19850505', '202');
const HEADER: XlsxCell[] = ['序号', '姓名', '身份证号码', '手机号码', '培训日期', '工作单位', '入职日期'];
/** 2021-03-05 and 2021-04-01 as Excel serials (1900 system). */
const MAR5 = 44260;
const APR1 = 44287;

const roster = (extra: Partial<Parameters<typeof buildXlsx>[0]> = {}): Uint8Array =>
  buildXlsx({
    rows: [
      HEADER,
      [1, '张三', A, '13812345678', { serial: MAR5 }, '临汾市某公司', { serial: APR1 }],
      [2, '李𠮷', B, null, '2021-05-06', null, null],
    ],
    ...extra,
  });

describe('roster XLSX reading', () => {
  it('reads an Excel-ordered workbook (sheet before shared strings and styles)', async () => {
    // Act
    const stats = await verifyBytes(roster());

    // Assess
    expect(stats).toMatchObject({
      format: 'xlsx',
      rows: 2,
      validRows: 2,
      trainedInYear: 2,
      employedOfTrained: 1,
      errors: [],
    });
  });

  it('reads inline strings', async () => {
    const stats = await verifyBytes(roster({ sharedStrings: false }));

    expect(stats).toMatchObject({ validRows: 2, employedOfTrained: 1 });
  });

  it('reads a zip streamed with data descriptors (sizes unknown in the local headers)', async () => {
    const stats = await verifyBytes(roster({ dataDescriptors: true }));

    expect(stats).toMatchObject({ validRows: 2, employedOfTrained: 1 });
  });

  it('gives the same result when the zip arrives one byte at a time', async () => {
    const bytes = roster({ dataDescriptors: true });

    const split = await verifyBytes(chunked(bytes, 1));

    expect(split).toEqual(await verifyBytes(bytes));
  });

  it('reads stored (uncompressed) entries', async () => {
    const stats = await verifyBytes(roster({ level: 0 }));

    expect(stats.validRows).toBe(2);
  });

  it('reads date-formatted cells with a custom Chinese date format', async () => {
    const stats = await verifyBytes(roster({ dateFormatCode: 'yyyy"年"m"月"d"日"' }));

    expect(stats).toMatchObject({ trainedInYear: 2, employedOfTrained: 1, errors: [] });
  });

  it('reads date serials of a 1904-system workbook', async () => {
    // Prepare: 2021-03-05 is 42798 in the 1904 system; a date cell and a plain number cell.
    const bytes = buildXlsx({
      date1904: true,
      rows: [HEADER, [1, '张三', A, null, { serial: MAR5 - 1462 }, '某公司', MAR5 - 1462]],
    });

    // Act
    const stats = await verifyBytes(bytes);

    // Assess
    expect(stats).toMatchObject({ trainedInYear: 1, employedOfTrained: 1, errors: [] });
  });

  it('reads plain number cells as serial or yyyymmdd dates', async () => {
    const bytes = buildXlsx({ rows: [HEADER, [1, '张三', A, null, MAR5, '某公司', 20210401]] });

    const stats = await verifyBytes(bytes);

    expect(stats).toMatchObject({ trainedInYear: 1, employedOfTrained: 1, errors: [] });
  });

  it('names an ID stored as a number ID_SCIENTIFIC_NOTATION or ID_PRECISION_LOST', async () => {
    // Prepare: what Excel writes for 18-digit numbers in General cells, and a number that kept all
    // 18 digits in its text but not in its value.
    const bytes = buildXlsx({
      rows: [HEADER],
      sheetXml:
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' +
        '<row r="1"><c r="C1" t="inlineStr"><is><t>身份证号码</t></is></c><c r="A1" t="inlineStr"><is><t>姓名</t></is></c>' +
        '<c r="E1" t="inlineStr"><is><t>结业日期</t></is></c><c r="F1" t="inlineStr"><is><t>就业单位</t></is></c><c r="G1" t="inlineStr"><is><t>就业日期</t></is></c></row>' +
        `<row r="2"><c r="A2" t="inlineStr"><is><t>张三</t></is></c><c r="C2"><v>1.41024199001011E+17</v></c><c r="E2"><v>${MAR5}</v></c></row>` +
        `<row r="3"><c r="A3" t="inlineStr"><is><t>李四</t></is></c><c r="C3"><v>${A.slice(0, 16)}47</v></c><c r="E3"><v>${MAR5}</v></c></row>` +
        '</sheetData></worksheet>',
    });

    // Act
    const stats = await verifyBytes(bytes);

    // Assess
    expect(stats.errors.map((e) => `${e.row}:${e.code}`)).toEqual([
      '2:ID_SCIENTIFIC_NOTATION',
      '3:ID_PRECISION_LOST',
    ]);
  });

  it('names a number cell that an 18-digit ID was pasted into ID_PRECISION_LOST', async () => {
    const bytes = buildXlsx({ rows: [HEADER, [1, '张三', 1.41024199001011e17, null, MAR5, null, null]] });

    const stats = await verifyBytes(bytes);

    expect(codesOf(stats)).toEqual(['ID_PRECISION_LOST']);
  });

  it('numbers rows by their r attribute, gaps (omitted empty rows) included', async () => {
    const bytes = buildXlsx({ rows: [HEADER, null, null, [1, '张三', 'bad id', null, MAR5, null, null]] });

    const stats = await verifyBytes(bytes);

    expect(stats.errors[0]).toMatchObject({ row: 4, code: 'ID_FORMAT' });
  });

  it('reads the first visible sheet when a hidden one comes first', async () => {
    const bytes = roster({
      leadingSheets: [
        {
          name: '说明',
          state: 'hidden',
          xml: '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>',
        },
      ],
    });

    const stats = await verifyBytes(bytes);

    expect(stats.validRows).toBe(2);
  });

  it('leaves phonetic guides out of shared strings', async () => {
    const bytes = buildXlsx({
      rows: [HEADER],
      sharedStrings: false,
      sheetXml:
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">' +
        '<c r="A1" t="inlineStr"><is><r><t>姓</t></r><r><t>名</t></r><rPh sb="0" eb="2"><t>xingming</t></rPh></is></c>' +
        '<c r="B1" t="inlineStr"><is><t>身份证号码</t></is></c><c r="C1" t="inlineStr"><is><t>结业日期</t></is></c>' +
        '<c r="D1" t="inlineStr"><is><t>就业单位</t></is></c><c r="E1" t="inlineStr"><is><t>就业日期</t></is></c></row></sheetData></worksheet>',
    });

    const stats = await verifyBytes(bytes);

    expect(stats.rows).toBe(0);
  });
});

describe('roster XLSX refusals', () => {
  it('refuses a macro-enabled workbook by its vbaProject.bin', async () => {
    const bytes = roster({ extraEntries: { 'xl/vbaProject.bin': new Uint8Array([1, 2, 3]) } });

    await expect(verifyBytes(bytes)).rejects.toMatchObject({ code: 'ROSTER_XLSX_MACRO', status: 422 });
  });

  it('refuses a macroEnabled content type', async () => {
    const bytes = roster({
      extraContentTypes:
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.ms-excel.sheet.macroEnabled.main+xml"/>',
    });

    await expect(verifyBytes(bytes)).rejects.toMatchObject({ code: 'ROSTER_XLSX_MACRO' });
  });

  it('refuses external links by part and by relationship', async () => {
    const byPart = roster({ extraEntries: { 'xl/externalLinks/externalLink1.xml': '<externalLink/>' } });
    const byRel = roster({
      extraWorkbookRels:
        '<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/externalLinkPath" Target="file:///C:/a.xlsx" TargetMode="External"/>',
    });

    await expect(verifyBytes(byPart)).rejects.toMatchObject({ code: 'ROSTER_XLSX_EXTERNAL_LINK' });
    await expect(verifyBytes(byRel)).rejects.toMatchObject({ code: 'ROSTER_XLSX_EXTERNAL_LINK' });
  });

  it('hands out no issue of a workbook refused for a part stored after the sheet', async () => {
    const issues: unknown[] = [];
    const bytes = buildXlsx({
      rows: [HEADER, [1, '张三', 'bad', null, MAR5, null, null]],
      extraEntries: { 'xl/vbaProject.bin': new Uint8Array([1]) },
    });

    await expect(verifyBytes(bytes, { onIssue: (i) => issues.push(i) })).rejects.toMatchObject({
      code: 'ROSTER_XLSX_MACRO',
    });
    expect(issues).toEqual([]);
  });

  it('refuses a nested archive', async () => {
    const bytes = roster({ extraEntries: { 'xl/embeddings/inner.zip': new Uint8Array([0x50, 0x4b, 3, 4]) } });

    await expect(verifyBytes(bytes)).rejects.toMatchObject({ code: 'ROSTER_XLSX_NESTED_ARCHIVE' });
  });

  it('refuses entry paths that climb out with ..', async () => {
    const bytes = roster({ extraEntries: { '../../etc/evil.xml': '<x/>' } });

    await expect(verifyBytes(bytes)).rejects.toMatchObject({ code: 'ROSTER_XLSX_UNSAFE_PATH' });
  });

  it('refuses a DTD (entity expansion, XXE) in any part it reads', async () => {
    const bomb =
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>' +
      '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>';

    await expect(verifyBytes(roster({ sheetXml: bomb }))).rejects.toMatchObject({ code: 'ROSTER_XLSX_DTD' });
  });

  it('does not pollute prototypes through __proto__ names and ids', async () => {
    const bytes = roster({
      extraEntries: { 'xl/__proto__.xml': '<x polluted="yes"/>' },
      extraWorkbookRels:
        '<Relationship Id="__proto__" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom" Target="__proto__.xml"/>',
    });

    const stats = await verifyBytes(bytes);

    expect(stats.validRows).toBe(2);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('Type');
  });

  it('refuses a truncated workbook as corrupt', async () => {
    const bytes = roster({ level: 0 });

    await expect(verifyBytes(bytes.subarray(0, Math.floor(bytes.length * 0.6)))).rejects.toMatchObject({
      code: 'ROSTER_XLSX_CORRUPT',
    });
  });
});

describe('roster XLSX zip-bomb limits', () => {
  /** 4 MiB of comments: harmless markup that deflates ~1000:1. */
  const padded = (): string =>
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' +
    '<!-- -->'.repeat(512 * 1024) +
    '<row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c></row></sheetData></worksheet>';

  it('refuses a compression ratio beyond the cap from the declared sizes', async () => {
    const error = await verifyBytes(roster({ sheetXml: padded() })).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(RosterLimitError);
    expect(error).toMatchObject({ code: 'ROSTER_LIMIT_XLSX_RATIO' });
  });

  it('refuses a compression ratio beyond the cap while inflating when sizes are not declared', async () => {
    const bytes = roster({ sheetXml: padded(), dataDescriptors: true });

    await expect(verifyBytes(bytes)).rejects.toMatchObject({ code: 'ROSTER_LIMIT_XLSX_RATIO' });
  });

  it('refuses more uncompressed bytes than the cap', async () => {
    await expect(verifyBytes(roster(), { limits: { maxUncompressedBytes: 2000 } })).rejects.toMatchObject({
      code: 'ROSTER_LIMIT_XLSX_UNCOMPRESSED',
    });
  });

  it('refuses a part that inflates to more than its local header declares (lying size)', async () => {
    // Prepare: shrink the declared uncompressed size of the worksheet entry.
    const bytes = roster({ sharedStrings: true });
    const name = strToU8('xl/worksheets/sheet1.xml');
    const at = findLocalHeader(bytes, name);
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    view.setUint32(at + 22, view.getUint32(at + 22, true) - 10, true);

    // Act / Assess
    await expect(verifyBytes(bytes)).rejects.toMatchObject({ code: 'ROSTER_XLSX_SIZE_MISMATCH' });
  });

  it('refuses more zip entries than the cap', async () => {
    const entries: [string, Uint8Array][] = Array.from({ length: 1001 }, (_, i) => [
      `docProps/p${i}.txt`,
      new Uint8Array(1),
    ]);

    await expect(verifyBytes(zipEntries(entries, false))).rejects.toMatchObject({
      code: 'ROSTER_LIMIT_XLSX_ENTRIES',
    });
  });

  it('asks for CSV above the XLSX row cap', async () => {
    const rows: XlsxCell[][] = [
      HEADER,
      ...Array.from({ length: 6 }, (_, i): XlsxCell[] => [i, '张三', A, null, MAR5, null, null]),
    ];

    const error = await verifyBytes(buildXlsx({ rows }), { limits: { maxXlsxRows: 5 } }).catch(
      (e: unknown) => e,
    );

    expect(error).toMatchObject({ code: 'ROSTER_LIMIT_XLSX_ROWS', limit: 5 });
    expect((error as Error).message).toContain('CSV');
  });

  it('refuses a value far to the right beyond the column cap', async () => {
    const sheet =
      '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' +
      '<row r="1"><c r="XFD1" t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>';

    await expect(verifyBytes(roster({ sheetXml: sheet }))).rejects.toMatchObject({
      code: 'ROSTER_LIMIT_COLUMNS',
    });
  });
});

function findLocalHeader(bytes: Uint8Array, name: Uint8Array): number {
  for (let i = 0; i < bytes.length - 30; i++) {
    if (bytes[i] === 0x50 && bytes[i + 1] === 0x4b && bytes[i + 2] === 3 && bytes[i + 3] === 4) {
      const len = (bytes[i + 26] as number) | ((bytes[i + 27] as number) << 8);
      if (len === name.length && name.every((b, k) => bytes[i + 30 + k] === b)) return i;
    }
  }
  throw new Error('entry not found');
}
