import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { classifyZip, sniffHead, zipEntryNamesFromTail } from '#shared/evidence/sniff';

const bytes = (...values: number[]) => new Uint8Array(values);
const text = (value: string) => new TextEncoder().encode(value);

describe('sniffHead tells a file by its first bytes, not its name', () => {
  it('recognises PDF, JPEG and PNG signatures', () => {
    expect(sniffHead(text('%PDF-1.7\n'))).toBe('pdf');
    expect(sniffHead(bytes(0xff, 0xd8, 0xff, 0xe0, 0, 0x10))).toBe('jpeg');
    expect(sniffHead(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0))).toBe('png');
  });

  it('sees a ZIP container (XLSX/DOCX need their entries)', () => {
    expect(sniffHead(bytes(0x50, 0x4b, 0x03, 0x04, 20, 0))).toBe('zip');
  });

  it('takes UTF-8 or GB18030 text with separators as CSV', () => {
    expect(sniffHead(text('姓名,身份证号码\r\n张三,11010519491231002X\r\n'))).toBe('csv');
    expect(sniffHead(bytes(0xd0, 0xd5, 0xc3, 0xfb, 0x2c, 0x0a))).toBe('csv');
  });

  it('refuses binary that is none of these', () => {
    expect(sniffHead(bytes(0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00))).toBe('unknown');
    expect(sniffHead(new Uint8Array(0))).toBe('unknown');
  });
});

describe('ZIP containers are classified by their central directory', () => {
  const zip = (names: string[]) => zipSync(Object.fromEntries(names.map((name) => [name, text('x')])));
  const tailOf = (file: Uint8Array) => file.subarray(Math.max(0, file.length - 65_557));

  it('reads entry names from the tail of the file', () => {
    expect(zipEntryNamesFromTail(tailOf(zip(['[Content_Types].xml', 'xl/workbook.xml'])))).toEqual([
      '[Content_Types].xml',
      'xl/workbook.xml',
    ]);
  });

  it('answers undefined when the tail holds no central directory', () => {
    expect(zipEntryNamesFromTail(text('not a zip at all, just text'))).toBeUndefined();
  });

  it('tells XLSX from DOCX from a plain ZIP', () => {
    expect(classifyZip(['[Content_Types].xml', 'xl/workbook.xml'])).toEqual({ type: 'xlsx' });
    expect(classifyZip(['[Content_Types].xml', 'word/document.xml'])).toEqual({ type: 'docx' });
    expect(classifyZip(['readme.txt'])).toEqual({ type: 'zip' });
  });

  it('refuses macro-enabled and externally linked workbooks', () => {
    expect(classifyZip(['[Content_Types].xml', 'xl/workbook.xml', 'xl/vbaProject.bin'])).toEqual({
      refused: 'MACRO_ENABLED',
    });
    expect(
      classifyZip(['[Content_Types].xml', 'xl/workbook.xml', 'xl/externalLinks/externalLink1.xml']),
    ).toEqual({
      refused: 'EXTERNAL_LINKS',
    });
  });
});
