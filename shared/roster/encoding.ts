import { RosterFileError } from '#shared/roster/errors';

export type RosterEncoding = 'utf-8' | 'gb18030';

/**
 * How a CSV's bytes are text. A UTF-8 BOM settles it; a UTF-16 BOM is refused (Excel's "Unicode
 * text" export); otherwise the prefix is tried as strict UTF-8 and GB18030 (a superset of GBK) is
 * taken on the first invalid sequence. A trailing incomplete sequence is not counted as invalid.
 */
export function detectEncoding(prefix: Uint8Array): { encoding: RosterEncoding; bomLength: number } {
  if (prefix[0] === 0xef && prefix[1] === 0xbb && prefix[2] === 0xbf)
    return { encoding: 'utf-8', bomLength: 3 };
  if ((prefix[0] === 0xff && prefix[1] === 0xfe) || (prefix[0] === 0xfe && prefix[1] === 0xff)) {
    throw new RosterFileError(
      'ROSTER_ENCODING_UNSUPPORTED',
      '不支持 UTF-16 编码的文件，请在表格软件中另存为“CSV UTF-8（逗号分隔）”或 .xlsx',
    );
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(prefix, { stream: true });
    return { encoding: 'utf-8', bomLength: 0 };
  } catch {
    return { encoding: 'gb18030', bomLength: 0 };
  }
}

/** A strict decoder for one encoding, with a clear refusal where the runtime lacks GB18030 (small-icu). */
export type Decoder = InstanceType<typeof TextDecoder>;

export function createDecoder(encoding: RosterEncoding): Decoder {
  try {
    return new TextDecoder(encoding, { fatal: true, ignoreBOM: true });
  } catch (cause) {
    throw new RosterFileError(
      'ROSTER_ENCODING_UNSUPPORTED',
      `此运行环境无法解码 ${encoding.toUpperCase()}（Node 需带完整 ICU），请改传 UTF-8 编码的 CSV 或 .xlsx`,
      undefined,
      { cause },
    );
  }
}
