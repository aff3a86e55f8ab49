/**
 * What a file really is, from its first bytes (and, for ZIP containers, the names of its entries),
 * never from its name or declared content type.
 */
export type DetectedType = 'pdf' | 'jpeg' | 'png' | 'xlsx' | 'docx' | 'zip' | 'csv' | 'unknown';

export const CONTENT_TYPE_OF: Record<Exclude<DetectedType, 'zip' | 'unknown'>, string> = {
  pdf: 'application/pdf',
  jpeg: 'image/jpeg',
  png: 'image/png',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  csv: 'text/csv',
};

const startsWith = (bytes: Uint8Array, signature: number[]) =>
  signature.every((byte, i) => bytes[i] === byte);

/** Sniffs the head of a file (the first few KB). ZIP containers need `classifyZip` on their entry names. */
export function sniffHead(head: Uint8Array): DetectedType {
  if (startsWith(head, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'pdf';
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) return 'zip';
  return looksLikeText(head) ? 'csv' : 'unknown';
}

/** Text a spreadsheet exported as CSV: no NUL or other binary control bytes, at least one separator. */
function looksLikeText(head: Uint8Array): boolean {
  if (head.length === 0) return false;
  let separators = 0;
  for (const byte of head) {
    if (byte === 0 || byte < 0x09 || (byte > 0x0d && byte < 0x20 && byte !== 0x1b)) return false;
    if (byte === 0x2c || byte === 0x0a || byte === 0x09) separators++;
  }
  return separators > 0;
}

export type ZipVerdict =
  | { type: 'xlsx' | 'docx' }
  | { type: 'zip' }
  | { refused: 'MACRO_ENABLED' | 'EXTERNAL_LINKS' };

/** An Office Open XML package by its entries; macro-enabled or externally linked workbooks are refused. */
export function classifyZip(entryNames: readonly string[]): ZipVerdict {
  const names = new Set(entryNames.map((name) => name.toLowerCase()));
  if ([...names].some((name) => name.endsWith('vbaproject.bin'))) return { refused: 'MACRO_ENABLED' };
  if ([...names].some((name) => name.startsWith('xl/externallinks/'))) return { refused: 'EXTERNAL_LINKS' };
  if (!names.has('[content_types].xml')) return { type: 'zip' };
  if (names.has('xl/workbook.xml')) return { type: 'xlsx' };
  if (names.has('word/document.xml')) return { type: 'docx' };
  return { type: 'zip' };
}

/**
 * Entry names from the central directory in the tail of a ZIP file (the last ≤ 64 KiB + comment).
 * Returns undefined when the tail holds no complete central directory.
 */
export function zipEntryNamesFromTail(tail: Uint8Array): string[] | undefined {
  const view = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return undefined;
  const entries = view.getUint16(eocd + 10, true);
  const size = view.getUint32(eocd + 12, true);
  let offset = eocd - size;
  if (offset < 0) return undefined;
  const names: string[] = [];
  const decoder = new TextDecoder();
  for (let n = 0; n < entries; n++) {
    if (offset + 46 > eocd || view.getUint32(offset, true) !== 0x02014b50) return undefined;
    const nameLength = view.getUint16(offset + 28, true);
    const extraLength = view.getUint16(offset + 30, true);
    const commentLength = view.getUint16(offset + 32, true);
    names.push(decoder.decode(tail.subarray(offset + 46, offset + 46 + nameLength)));
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}
