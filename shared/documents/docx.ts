import { strToU8, zipSync } from 'fflate';

/**
 * A minimal WordprocessingML (DOCX) writer: paragraphs and one-grid tables with horizontal spans and
 * vertical merges — enough to lay out the notice's application forms for printing and stamping.
 * Word, WPS and LibreOffice open it; nothing here depends on where it runs.
 */
export interface Run {
  text: string;
  bold?: boolean;
  /** Half-points (Word's unit): 24 = 12 pt. */
  size?: number;
}

export interface Paragraph {
  runs: Run[];
  align?: 'left' | 'center' | 'right';
}

export interface Cell {
  /** Each entry is one paragraph. */
  paragraphs: Paragraph[];
  /** Grid columns this cell spans. */
  span?: number;
  /** Vertical merge: `restart` opens a merged block, `continue` extends it (its content is ignored). */
  merge?: 'restart' | 'continue';
  align?: 'left' | 'center';
  /** Minimum row height contribution in twips, for boxes people write or stamp in. */
  minHeight?: number;
}

export type Block = { paragraph: Paragraph } | { table: { columnWidths: number[]; rows: Cell[][] } };

const FONT = '<w:rFonts w:ascii="SimSun" w:hAnsi="SimSun" w:eastAsia="SimSun" w:cs="SimSun"/>';

export function escapeXml(text: string): string {
  // Characters XML 1.0 forbids are dropped rather than written (a form field must never break the file).
  const allowed = Array.from(text)
    .filter((char) => {
      const code = char.codePointAt(0) ?? 0;
      return (
        code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code !== 0xfffe && code !== 0xffff)
      );
    })
    .join('');
  return allowed.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function runXml(run: Run): string {
  const props = `${FONT}${run.bold ? '<w:b/>' : ''}<w:sz w:val="${run.size ?? 24}"/><w:szCs w:val="${run.size ?? 24}"/>`;
  return `<w:r><w:rPr>${props}</w:rPr><w:t xml:space="preserve">${escapeXml(run.text)}</w:t></w:r>`;
}

function paragraphXml(paragraph: Paragraph): string {
  const align = paragraph.align ? `<w:jc w:val="${paragraph.align}"/>` : '';
  return `<w:p><w:pPr>${align}<w:spacing w:before="40" w:after="40"/></w:pPr>${paragraph.runs.map(runXml).join('')}</w:p>`;
}

function cellXml(cell: Cell, width: number): string {
  const props = [
    `<w:tcW w:w="${width}" w:type="dxa"/>`,
    cell.span && cell.span > 1 ? `<w:gridSpan w:val="${cell.span}"/>` : '',
    cell.merge ? `<w:vMerge w:val="${cell.merge}"/>` : '',
    '<w:vAlign w:val="center"/>',
  ].join('');
  const paragraphs =
    cell.merge === 'continue' || cell.paragraphs.length === 0 ? [{ runs: [] }] : cell.paragraphs;
  const aligned = paragraphs.map((p) => ({ ...p, align: p.align ?? cell.align }));
  return `<w:tc><w:tcPr>${props}</w:tcPr>${aligned.map(paragraphXml).join('')}</w:tc>`;
}

function tableXml(table: { columnWidths: number[]; rows: Cell[][] }): string {
  const border = (side: string) => `<w:${side} w:val="single" w:sz="6" w:space="0" w:color="000000"/>`;
  const borders = `<w:tblBorders>${['top', 'left', 'bottom', 'right', 'insideH', 'insideV'].map(border).join('')}</w:tblBorders>`;
  const grid = `<w:tblGrid>${table.columnWidths.map((w) => `<w:gridCol w:w="${w}"/>`).join('')}</w:tblGrid>`;
  const rows = table.rows
    .map((cells) => {
      let column = 0;
      const minHeight = Math.max(0, ...cells.map((cell) => cell.minHeight ?? 0));
      const rowProps =
        minHeight > 0 ? `<w:trPr><w:trHeight w:val="${minHeight}" w:hRule="atLeast"/></w:trPr>` : '';
      const xml = cells
        .map((cell) => {
          const span = cell.span ?? 1;
          const width = table.columnWidths.slice(column, column + span).reduce((a, b) => a + b, 0);
          column += span;
          return cellXml(cell, width);
        })
        .join('');
      if (column !== table.columnWidths.length)
        throw new Error(`a table row spans ${column} of ${table.columnWidths.length} columns`);
      return `<w:tr>${rowProps}${xml}</w:tr>`;
    })
    .join('');
  return `<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/><w:jc w:val="center"/>${borders}<w:tblLayout w:type="fixed"/></w:tblPr>${grid}${rows}</w:tbl>`;
}

/** The document as DOCX bytes (A4 portrait). */
export function renderDocx(blocks: Block[]): Uint8Array {
  const body = blocks
    .map((block) => ('paragraph' in block ? paragraphXml(block.paragraph) : tableXml(block.table)))
    .join('');
  const document = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1247" w:right="1134" w:bottom="1247" w:left="1134" w:header="851" w:footer="992" w:gutter="0"/></w:sectPr></w:body></w:document>`;
  return zipSync(
    {
      '[Content_Types].xml': strToU8(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`),
      '_rels/.rels': strToU8(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`),
      'word/document.xml': strToU8(document),
    },
    { level: 6 },
  );
}
