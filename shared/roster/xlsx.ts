import { Readable } from 'node:stream';
import { createInflateRaw } from 'node:zlib';
import { Unzip, type UnzipFile } from 'fflate';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { formatDateCode, serialToDateCode } from '#shared/roster/dates';
import type { Decoder } from '#shared/roster/encoding';
import { RosterFileError, type RosterFileErrorCode, RosterLimitError } from '#shared/roster/errors';
import type { RosterLimits } from '#shared/roster/limits';
import { FIELD_NUMERIC, RowView } from '#shared/roster/row';

/**
 * A small streaming XLSX reader: fflate walks the zip's local headers as the bytes arrive (its
 * decoders are replaced by a pass-through, so nothing is inflated while walking), node:zlib inflates
 * only the parts we read, chunk by metered chunk, and saxes parses them. Every entry is vetted
 * (count, names, declared sizes, macros, external links) before any row is handed out, so a file
 * that is refused has produced no issues, keys or progress rows.
 *
 * Excel writes sharedStrings.xml and styles.xml after the worksheet, so the worksheet's compressed
 * bytes are held until the end of the archive (compressed size ≤ `maxBytes`); the inflated sheet is
 * never held: it streams through the parser.
 */
export interface XlsxHandlers {
  onWorkbook(info: { date1904: boolean }): void;
  /** A row with cells; may return the only columns wanted from then on (after the header). */
  onRow(rowNumber: number, row: RowView): number[] | undefined;
  /** `read`: zip bytes arriving (fraction unknown here); `sheet`: share of the worksheet parsed. */
  onProgress(percent: number | undefined): void;
  signal?: AbortSignal | undefined;
}

interface Part {
  name: string;
  compression: number;
  declaredSize: number | undefined;
  chunks: Uint8Array[];
  compressedBytes: number;
}

interface ChunkSource {
  bytesRead: number;
  next(): Promise<Uint8Array | null>;
}

const MAIN_NS_PARTS =
  /^(\[content_types\]\.xml|_rels\/\.rels|xl\/_rels\/[^/]+\.rels|xl\/[^/]+\.xml|xl\/worksheets\/[^/]+\.xml)$/;
const SKIPPED_PARTS = /^xl\/(calcchain|connections)\.xml$/;
const NESTED_ARCHIVE =
  /\.(zip|xlsx|xlsm|xlsb|xls|xltx|xltm|docx|docm|pptx|pptm|jar|7z|rar|gz|tgz|tar|bz2|xz|cab)$/i;
const MACRO_PART = /vbaproject|vbadata|\.bas$/i;
const MACRO_CONTENT = /macroenabled|vbaproject|vbadata/i;
const BUILTIN_DATE_FORMATS = new Set([
  14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54,
  55, 56, 57, 58,
]);
/** A part's ratio is judged once this much of it is inflated: tiny parts compress absurdly well. */
const RATIO_GRACE_BYTES = 1024 * 1024;

export async function readXlsx(
  input: ChunkSource,
  limits: RosterLimits,
  handlers: XlsxHandlers,
): Promise<void> {
  const parts = await collectParts(input, limits, handlers);
  const meter = new InflateMeter(limits);
  const reader = new WorkbookReader(parts, limits, meter, handlers);
  await reader.read();
}

/** Walks the zip as it streams in; keeps the compressed bytes of the XML parts we may need. */
async function collectParts(
  input: ChunkSource,
  limits: RosterLimits,
  handlers: XlsxHandlers,
): Promise<Map<string, Part>> {
  const parts = new Map<string, Part>();
  const seen = new Set<string>();
  let entries = 0;
  let declaredTotal = 0;
  let failure: unknown = null;
  const unzip = new Unzip((file: UnzipFile) => {
    entries++;
    if (entries > limits.maxZipEntries) {
      throw new RosterLimitError(
        'ROSTER_LIMIT_XLSX_ENTRIES',
        `压缩包内文件过多（超过 ${limits.maxZipEntries} 个），不像是普通的工作簿`,
        limits.maxZipEntries,
        entries,
      );
    }
    const name = vetEntryName(file.name);
    const key = name.toLowerCase();
    if (seen.has(key)) refuse('ROSTER_XLSX_CORRUPT', `压缩包内有重名文件：${name}`);
    seen.add(key);
    if (file.originalSize !== undefined) {
      declaredTotal += file.originalSize;
      if (declaredTotal > limits.maxUncompressedBytes) {
        throw new RosterLimitError(
          'ROSTER_LIMIT_XLSX_UNCOMPRESSED',
          `工作簿解压后超过 ${limits.maxUncompressedBytes} 字节`,
          limits.maxUncompressedBytes,
          declaredTotal,
        );
      }
      const size = Math.max(file.size ?? 0, 1);
      if (file.originalSize > RATIO_GRACE_BYTES && file.originalSize / size > limits.maxCompressionRatio) {
        throw ratioError(limits, file.originalSize / size);
      }
    }
    const keep = MAIN_NS_PARTS.test(key) && !SKIPPED_PARTS.test(key);
    const part: Part | null = keep
      ? {
          name,
          compression: file.compression,
          declaredSize: file.originalSize,
          chunks: [],
          compressedBytes: 0,
        }
      : null;
    if (part !== null) parts.set(key, part);
    file.ondata = (err, data) => {
      if (part === null) return;
      if (err) {
        failure ??= new RosterFileError('ROSTER_XLSX_CORRUPT', `无法读取工作簿部件 ${name}`, undefined, {
          cause: err,
        });
        return;
      }
      if (data.length > 0) {
        // A copy: the chunk fflate hands out may be a view on a much larger input buffer.
        part.chunks.push(data.slice());
        part.compressedBytes += data.length;
      }
    };
    // Every entry is started: an unstarted one would make fflate keep its bytes.
    file.start();
  });
  unzip.register(RawPassThrough);
  try {
    for (let chunk = await input.next(); chunk !== null; chunk = await input.next()) {
      unzip.push(chunk, false);
      if (failure !== null) throw failure;
      handlers.onProgress(undefined);
    }
    unzip.push(new Uint8Array(0), true);
  } catch (error) {
    if (error instanceof RosterFileError) throw error;
    throw new RosterFileError('ROSTER_XLSX_CORRUPT', '工作簿已损坏或不完整（zip 结构错误）', undefined, {
      cause: error,
    });
  }
  if (failure !== null) throw failure;
  if (entries === 0) refuse('ROSTER_XLSX_CORRUPT', '工作簿已损坏：压缩包内没有文件');
  return parts;
}

/** Hands fflate's compressed bytes through untouched; inflation happens later, metered. */
class RawPassThrough {
  static readonly compression = 8;
  ondata: (err: Error | null, data: Uint8Array, final: boolean) => void = () => {};
  push(chunk: Uint8Array, final: boolean): void {
    this.ondata(null, chunk, final);
  }
}

function vetEntryName(name: string): string {
  const segments = name.split('/');
  if (
    name.includes('\\') ||
    name.includes('\0') ||
    name.startsWith('/') ||
    /^[a-zA-Z]:/.test(name) ||
    segments.includes('..') ||
    segments.includes('.')
  ) {
    refuse('ROSTER_XLSX_UNSAFE_PATH', `压缩包内有不安全的路径：${name.slice(0, 80)}`);
  }
  if (MACRO_PART.test(name))
    refuse('ROSTER_XLSX_MACRO', '不接受含宏的工作簿（.xlsm），请另存为不含宏的 .xlsx');
  if (/^xl\/externallinks\//i.test(name)) {
    refuse(
      'ROSTER_XLSX_EXTERNAL_LINK',
      '工作簿引用了外部文件（外部链接），请断开链接或把数值粘贴为值后再上传',
    );
  }
  if (/^xl\/connections\.xml$/i.test(name)) {
    refuse('ROSTER_XLSX_EXTERNAL_LINK', '工作簿含有外部数据连接，请删除连接后再上传');
  }
  if (NESTED_ARCHIVE.test(name))
    refuse('ROSTER_XLSX_NESTED_ARCHIVE', `工作簿内嵌了压缩文件或其他文档：${name.slice(0, 80)}`);
  return name;
}

function refuse(code: RosterFileErrorCode, message: string): never {
  throw new RosterFileError(code, message);
}

function ratioError(limits: RosterLimits, ratio: number): RosterLimitError {
  return new RosterLimitError(
    'ROSTER_LIMIT_XLSX_RATIO',
    `工作簿压缩比异常（超过 ${limits.maxCompressionRatio} 倍），疑似压缩炸弹`,
    limits.maxCompressionRatio,
    Math.round(ratio),
  );
}

/** Counts every inflated byte against the caps: total, per part, ratio, and the part's declared size. */
class InflateMeter {
  total = 0;
  constructor(private readonly limits: RosterLimits) {}

  check(part: Part, inflated: number, maxPartBytes: number): void {
    const limits = this.limits;
    if (this.total > limits.maxUncompressedBytes) {
      throw new RosterLimitError(
        'ROSTER_LIMIT_XLSX_UNCOMPRESSED',
        `工作簿解压后超过 ${limits.maxUncompressedBytes} 字节`,
        limits.maxUncompressedBytes,
        this.total,
      );
    }
    if (inflated > maxPartBytes) {
      throw new RosterLimitError(
        'ROSTER_LIMIT_XLSX_PART',
        `工作簿部件 ${part.name} 解压后超过 ${maxPartBytes} 字节`,
        maxPartBytes,
        inflated,
      );
    }
    if (part.declaredSize !== undefined && inflated > part.declaredSize) {
      refuse('ROSTER_XLSX_SIZE_MISMATCH', `工作簿部件 ${part.name} 的实际大小与声明不符（疑似压缩炸弹）`);
    }
    if (
      inflated > RATIO_GRACE_BYTES &&
      inflated / Math.max(part.compressedBytes, 1) > limits.maxCompressionRatio
    ) {
      throw ratioError(limits, inflated / Math.max(part.compressedBytes, 1));
    }
  }
}

type SaxHandlers = {
  open?: (local: string, tag: SaxesTagPlain) => void;
  close?: (local: string) => void;
  text?: (text: string) => void;
};

class WorkbookReader {
  private date1904 = false;
  private readonly strings = new StringStore();
  private dateStyles = new Uint8Array(0);

  constructor(
    private readonly parts: Map<string, Part>,
    private readonly limits: RosterLimits,
    private readonly meter: InflateMeter,
    private readonly handlers: XlsxHandlers,
  ) {}

  async read(): Promise<void> {
    await this.checkContentTypes();
    const workbookPath = await this.officeDocumentPath();
    const sheetRid = await this.readWorkbook(workbookPath);
    const rels = await this.readRelationships(workbookPath);
    const sheetRel = sheetRid === null ? undefined : rels.get(sheetRid);
    if (sheetRel === undefined) refuse('ROSTER_XLSX_NO_SHEET', '工作簿中没有工作表');
    const sheet = this.part(resolveTarget(workbookPath, sheetRel.target));
    if (sheet === undefined) refuse('ROSTER_XLSX_NO_SHEET', '工作簿中找不到第一个工作表');
    for (const rel of rels.values()) {
      if (rel.type.endsWith('/styles')) await this.readStyles(resolveTarget(workbookPath, rel.target));
      if (rel.type.endsWith('/sharedStrings'))
        await this.readSharedStrings(resolveTarget(workbookPath, rel.target));
    }
    this.handlers.onWorkbook({ date1904: this.date1904 });
    await this.readSheet(sheet);
  }

  private part(path: string): Part | undefined {
    return this.parts.get(path.toLowerCase());
  }

  private async checkContentTypes(): Promise<void> {
    const part = this.part('[Content_Types].xml');
    if (part === undefined)
      refuse('ROSTER_XLSX_CORRUPT', '不是有效的 .xlsx 工作簿（缺少 [Content_Types].xml）');
    await this.parse(part, this.limits.maxXlsxMetaPartBytes, {
      open: (local, tag) => {
        if (local !== 'Override' && local !== 'Default') return;
        const type = tag.attributes.ContentType ?? '';
        if (MACRO_CONTENT.test(type))
          refuse('ROSTER_XLSX_MACRO', '不接受含宏的工作簿（.xlsm），请另存为不含宏的 .xlsx');
        if (/externalLink/i.test(type)) {
          refuse(
            'ROSTER_XLSX_EXTERNAL_LINK',
            '工作簿引用了外部文件（外部链接），请断开链接或把数值粘贴为值后再上传',
          );
        }
        if (/sheet\.binary/i.test(type))
          refuse('ROSTER_FORMAT_UNKNOWN', '不支持 .xlsb 二进制工作簿，请另存为 .xlsx 或 CSV');
      },
    });
  }

  private async officeDocumentPath(): Promise<string> {
    const part = this.part('_rels/.rels');
    let target = 'xl/workbook.xml';
    if (part === undefined) return target;
    await this.parse(part, this.limits.maxXlsxMetaPartBytes, {
      open: (local, tag) => {
        const type = tag.attributes.Type ?? '';
        if (local === 'Relationship' && type.endsWith('/officeDocument') && tag.attributes.Target) {
          target = resolveTarget('', tag.attributes.Target);
        }
      },
    });
    return target;
  }

  /** Reads workbookPr/@date1904 and returns the relationship id of the first visible sheet. */
  private async readWorkbook(path: string): Promise<string | null> {
    const part = this.part(path);
    if (part === undefined) refuse('ROSTER_XLSX_NO_SHEET', '工作簿中没有工作表（缺少 workbook.xml）');
    let first: string | null = null;
    let firstVisible: string | null = null;
    await this.parse(part, this.limits.maxXlsxMetaPartBytes, {
      open: (local, tag) => {
        if (local === 'workbookPr') {
          const v = tag.attributes.date1904;
          this.date1904 = v === '1' || v === 'true';
        } else if (local === 'sheet') {
          const rid = relationshipId(tag);
          if (rid === undefined) return;
          first ??= rid;
          const state = tag.attributes.state;
          if (firstVisible === null && state !== 'hidden' && state !== 'veryHidden') firstVisible = rid;
        } else if (local === 'externalReference') {
          refuse(
            'ROSTER_XLSX_EXTERNAL_LINK',
            '工作簿引用了外部文件（外部链接），请断开链接或把数值粘贴为值后再上传',
          );
        }
      },
    });
    return firstVisible ?? first;
  }

  private async readRelationships(path: string): Promise<Map<string, { type: string; target: string }>> {
    const slash = path.lastIndexOf('/');
    const relsPath = `${path.slice(0, slash + 1)}_rels/${path.slice(slash + 1)}.rels`;
    const rels = new Map<string, { type: string; target: string }>();
    const part = this.part(relsPath);
    if (part === undefined) return rels;
    await this.parse(part, this.limits.maxXlsxMetaPartBytes, {
      open: (local, tag) => {
        if (local !== 'Relationship') return;
        const { Id: id, Type: type = '', Target: target = '', TargetMode: mode } = tag.attributes;
        if (type.endsWith('/externalLink') || mode === 'External') {
          refuse(
            'ROSTER_XLSX_EXTERNAL_LINK',
            '工作簿引用了外部文件（外部链接），请断开链接或把数值粘贴为值后再上传',
          );
        }
        if (id !== undefined) rels.set(id, { type, target });
      },
    });
    return rels;
  }

  private async readStyles(path: string): Promise<void> {
    const part = this.part(path);
    if (part === undefined) return;
    const custom = new Map<number, string>();
    const xfFormats: number[] = [];
    let inCellXfs = false;
    await this.parse(part, this.limits.maxXlsxMetaPartBytes, {
      open: (local, tag) => {
        if (local === 'numFmt') custom.set(Number(tag.attributes.numFmtId), tag.attributes.formatCode ?? '');
        else if (local === 'cellXfs') inCellXfs = true;
        else if (local === 'xf' && inCellXfs) xfFormats.push(Number(tag.attributes.numFmtId ?? 0));
      },
      close: (local) => {
        if (local === 'cellXfs') inCellXfs = false;
      },
    });
    this.dateStyles = new Uint8Array(xfFormats.length);
    xfFormats.forEach((id, xf) => {
      const code = custom.get(id);
      this.dateStyles[xf] = (code === undefined ? BUILTIN_DATE_FORMATS.has(id) : isDateFormat(code)) ? 1 : 0;
    });
  }

  private async readSharedStrings(path: string): Promise<void> {
    const part = this.part(path);
    if (part === undefined) return;
    const store = this.strings;
    let inSi = false;
    let inT = false;
    let phonetic = 0;
    let text = '';
    await this.parse(part, this.limits.maxUncompressedBytes, {
      open: (local) => {
        if (local === 'si') {
          inSi = true;
          text = '';
        } else if (local === 't') inT = inSi && phonetic === 0;
        else if (local === 'rPh') phonetic++;
      },
      text: (t) => {
        if (inT) text += t;
      },
      close: (local) => {
        if (local === 't') inT = false;
        else if (local === 'rPh') phonetic--;
        else if (local === 'si') {
          inSi = false;
          store.add(text);
          text = '';
        }
      },
    });
  }

  private async readSheet(part: Part): Promise<void> {
    const limits = this.limits;
    const strings = this.strings;
    const dateStyles = this.dateStyles;
    const date1904 = this.date1904;
    const handlers = this.handlers;
    const row = new RowView(limits.maxColumns);
    const scratch = new Uint8Array(limits.maxLineBytes);
    const encoder = new TextEncoder();
    let wanted: Uint8Array | null = null;
    let rowNumber = 0;
    let pos = 0;
    let col = -1;
    let type = '';
    let style = 0;
    let cellWanted = false;
    let hasValue = false;
    let inValue = false;
    let inInline = false;
    let inT = false;
    let phonetic = 0;
    let text = '';

    const startCell = (c: number): void => {
      if (c >= limits.maxColumns) {
        throw new RosterLimitError(
          'ROSTER_LIMIT_COLUMNS',
          `第 ${rowNumber} 行超过 ${limits.maxColumns} 列`,
          limits.maxColumns,
          c + 1,
        );
      }
      while (row.count < c) {
        row.starts[row.count] = pos;
        row.ends[row.count] = pos;
        row.flags[row.count] = 0;
        row.count++;
      }
      row.starts[c] = pos;
      row.flags[c] = 0;
      // Cells come in column order from every writer seen; out of order they still land right.
      if (row.count <= c) row.count = c + 1;
    };
    const endCell = (c: number, flags: number): void => {
      if (pos - (row.starts[c] as number) > limits.maxCellBytes) {
        throw new RosterLimitError(
          'ROSTER_LIMIT_CELL',
          `第 ${rowNumber} 行第 ${c + 1} 列的内容超过 ${limits.maxCellBytes} 字节`,
          limits.maxCellBytes,
          pos - (row.starts[c] as number),
        );
      }
      row.ends[c] = pos;
      row.flags[c] = flags;
    };
    const room = (n: number): void => {
      if (pos + n > scratch.length) {
        throw new RosterLimitError(
          'ROSTER_LIMIT_LINE',
          `第 ${rowNumber} 行超过 ${limits.maxLineBytes} 字节`,
          limits.maxLineBytes,
          pos + n,
        );
      }
    };
    const writeText = (t: string): void => {
      room(t.length * 3);
      pos += encoder.encodeInto(t, scratch.subarray(pos)).written;
    };
    const writeCell = (): void => {
      startCell(col);
      let flags = 0;
      if (type === 's') {
        const index = Number(text);
        if (!Number.isInteger(index) || index < 0 || index >= strings.count) {
          refuse('ROSTER_XLSX_CORRUPT', `第 ${rowNumber} 行引用了不存在的共享字符串`);
        }
        const from = strings.offsets[index] as number;
        const to = strings.offsets[index + 1] as number;
        room(to - from);
        scratch.set(strings.bytes.subarray(from, to), pos);
        pos += to - from;
      } else if (type === 'n') {
        const value = Number(text);
        const code =
          style < dateStyles.length && dateStyles[style] === 1 && Number.isFinite(value)
            ? serialToDateCode(Math.floor(value), date1904)
            : -1;
        if (code > 0) writeText(formatDateCode(code));
        else {
          writeText(text);
          flags = FIELD_NUMERIC;
        }
      } else writeText(text);
      endCell(col, flags);
    };

    await this.parse(
      part,
      limits.maxUncompressedBytes,
      {
        open: (local, tag) => {
          switch (local) {
            case 'row': {
              const r = tag.attributes.r;
              rowNumber = r === undefined ? rowNumber + 1 : Number(r);
              if (!Number.isInteger(rowNumber) || rowNumber < 1)
                refuse('ROSTER_XLSX_CORRUPT', '工作表的行号无效');
              row.count = 0;
              pos = 0;
              col = -1;
              break;
            }
            case 'c': {
              const r = tag.attributes.r;
              col = r === undefined ? col + 1 : columnIndex(r);
              type = tag.attributes.t ?? 'n';
              style = tag.attributes.s === undefined ? 0 : Number(tag.attributes.s);
              cellWanted = wanted === null || (col < wanted.length && wanted[col] === 1);
              hasValue = false;
              text = '';
              break;
            }
            case 'v':
              inValue = cellWanted;
              break;
            case 'is':
              inInline = true;
              break;
            case 't':
              inT = inInline && cellWanted && phonetic === 0;
              break;
            case 'rPh':
              phonetic++;
              break;
          }
        },
        text: (t) => {
          if (inValue || inT) text += t;
        },
        close: (local) => {
          switch (local) {
            case 'v':
              if (inValue) hasValue = true;
              inValue = false;
              break;
            case 't':
              if (inT) hasValue = true;
              inT = false;
              break;
            case 'rPh':
              phonetic--;
              break;
            case 'is':
              inInline = false;
              break;
            case 'c':
              if (cellWanted && hasValue) writeCell();
              break;
            case 'row': {
              row.buf = scratch;
              const columns = handlers.onRow(rowNumber, row);
              if (columns !== undefined) {
                wanted = new Uint8Array(Math.max(0, ...columns) + 1);
                for (const c of columns) wanted[c] = 1;
              }
              break;
            }
          }
        },
      },
      (fraction) => handlers.onProgress(fraction),
    );
  }

  /** Inflates a part through the meter into saxes; DTDs (XXE, entity bombs) are refused outright. */
  private async parse(
    part: Part,
    maxPartBytes: number,
    on: SaxHandlers,
    progress?: (percent: number) => void,
  ): Promise<void> {
    const parser = new SaxesParser<{ xmlns: false; position: false }>({ xmlns: false, position: false });
    const open = on.open;
    const close = on.close;
    const text = on.text;
    parser.on('doctype', () =>
      refuse('ROSTER_XLSX_DTD', '工作簿含有 DTD 声明，已拒绝（可能是 XML 外部实体攻击）'),
    );
    if (open) parser.on('opentag', (tag) => open(localName(tag.name), tag));
    if (close) parser.on('closetag', (tag) => close(localName(tag.name)));
    if (text) {
      parser.on('text', text);
      parser.on('cdata', text);
    }
    let decoder: Decoder | null = null;
    let inflated = 0;
    let sinceLt = 0;
    let lastPercent = -1;
    const chunks = part.chunks;
    part.chunks = [];
    const inflater = part.compression === 0 ? null : createInflateRaw({ chunkSize: 64 * 1024 });
    const stream = Readable.from(chunks, { objectMode: false });
    const output: AsyncIterable<Uint8Array> = inflater === null ? stream : stream.pipe(inflater);
    if (inflater !== null) stream.on('error', (e) => inflater.destroy(e));
    try {
      for await (const chunk of output) {
        this.handlers.signal?.throwIfAborted();
        inflated += chunk.length;
        this.meter.total += chunk.length;
        this.meter.check(part, inflated, maxPartBytes);
        sinceLt = this.checkMarkupGaps(part, chunk, sinceLt);
        if (decoder === null) {
          const utf16 = chunk[0] === 0xff && chunk[1] === 0xfe;
          decoder = new TextDecoder(utf16 ? 'utf-16le' : 'utf-8', { fatal: true });
        }
        parser.write(decoder.decode(chunk, { stream: true }));
        if (progress !== undefined) {
          const consumed = inflater === null ? inflated : inflater.bytesWritten;
          const percent = Math.floor((consumed * 100) / Math.max(part.compressedBytes, 1));
          if (percent !== lastPercent) {
            lastPercent = percent;
            progress(percent);
          }
        }
      }
      if (decoder !== null) parser.write(decoder.decode());
      parser.close();
    } catch (error) {
      if (error instanceof RosterFileError) throw error;
      throw new RosterFileError(
        'ROSTER_XLSX_CORRUPT',
        `工作簿部件 ${part.name} 已损坏，无法读取`,
        undefined,
        {
          cause: error,
        },
      );
    } finally {
      inflater?.destroy();
      stream.destroy();
    }
    if (part.declaredSize !== undefined && inflated !== part.declaredSize) {
      refuse('ROSTER_XLSX_SIZE_MISMATCH', `工作簿部件 ${part.name} 的实际大小与声明不符`);
    }
  }

  /**
   * saxes gathers a text node or a tag whole before calling back, so a giant one would be held in
   * memory; spreadsheet markup never runs this long without a `<`, so that run is capped.
   */
  private checkMarkupGaps(part: Part, chunk: Uint8Array, sinceLt: number): number {
    const max = this.limits.maxLineBytes;
    let from = 0;
    let gap = sinceLt;
    for (;;) {
      const lt = chunk.indexOf(60, from);
      if (lt < 0) {
        gap += chunk.length - from;
        break;
      }
      gap += lt - from;
      if (gap > max) break;
      gap = 0;
      from = lt + 1;
    }
    if (gap > max) {
      throw new RosterLimitError(
        'ROSTER_LIMIT_CELL',
        `工作簿部件 ${part.name} 含有超长的单元格或标记`,
        max,
        gap,
      );
    }
    return gap;
  }
}

/** Shared strings as UTF-8 in one growing buffer: no per-string objects, nothing pinning the XML. */
class StringStore {
  bytes = new Uint8Array(1 << 16);
  offsets = new Uint32Array(1 << 12);
  count = 0;
  private length = 0;
  private readonly encoder = new TextEncoder();

  add(text: string): void {
    const need = this.length + text.length * 3;
    if (need > this.bytes.length) {
      const grown = new Uint8Array(Math.max(need, this.bytes.length * 2));
      grown.set(this.bytes.subarray(0, this.length));
      this.bytes = grown;
    }
    this.length += this.encoder.encodeInto(text, this.bytes.subarray(this.length)).written;
    if (this.count + 2 > this.offsets.length) {
      const grown = new Uint32Array(this.offsets.length * 2);
      grown.set(this.offsets);
      this.offsets = grown;
    }
    this.offsets[++this.count] = this.length;
  }
}

function localName(qname: string): string {
  const colon = qname.indexOf(':');
  return colon < 0 ? qname : qname.slice(colon + 1);
}

function relationshipId(tag: SaxesTagPlain): string | undefined {
  for (const [name, value] of Object.entries(tag.attributes)) {
    if (name.endsWith(':id')) return value;
  }
  return undefined;
}

/** `worksheets/sheet1.xml` relative to `xl/workbook.xml` → `xl/worksheets/sheet1.xml`. */
export function resolveTarget(basePart: string, target: string): string {
  const base = target.startsWith('/') ? [] : basePart.split('/').slice(0, -1);
  for (const segment of target.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (base.length === 0)
        refuse('ROSTER_XLSX_UNSAFE_PATH', `工作簿内有越界的引用：${target.slice(0, 80)}`);
      base.pop();
    } else base.push(segment);
  }
  return base.join('/');
}

/** `C12` → 2. */
export function columnIndex(ref: string): number {
  let n = 0;
  for (let i = 0; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c >= 65 && c <= 90) n = n * 26 + (c - 64);
    else if (c >= 97 && c <= 122) n = n * 26 + (c - 96);
    else break;
    if (n > 1_000_000) break;
  }
  return n - 1;
}

/** A custom number format shows a date when it has y/m/d/h/s outside quotes, escapes and brackets. */
export function isDateFormat(code: string): boolean {
  const bare = code
    .replace(/"[^"]*"/g, '')
    .replace(/\\./g, '')
    .replace(/\[[^\]]*\]/g, '');
  return /[ymdhs]/i.test(bare) && !/^general$/i.test(bare.trim());
}
