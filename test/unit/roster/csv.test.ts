import { Readable } from 'node:stream';
import { ReadableStream } from 'node:stream/web';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RosterFileError, RosterLimitError, type RosterProgress, verifyRoster } from '#shared/roster/index';
import {
  chunked,
  codesOf,
  csv,
  gb18030,
  makeId,
  SAMPLE_ID,
  TRAINING_HEADER,
  utf8,
  verifyBytes,
  verifyText,
} from './helpers';

const ID_A = makeId('141024', '19900101', '123');
const ID_B = makeId('141002', '19851212', '045');
const ROSTER = csv(
  TRAINING_HEADER,
  `1,张三,${ID_A},13812345678,2021-03-05,临汾市某公司,2021-04-01`,
  `2,李𠮷,${ID_B},,2021-05-06,,`,
);

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('roster CSV encodings', () => {
  it('reads UTF-8 with a BOM', async () => {
    // Act
    const stats = await verifyBytes(utf8(ROSTER, true));

    // Assess
    expect(stats).toMatchObject({ encoding: 'utf-8', rows: 2, validRows: 2, errors: [] });
  });

  it('reads UTF-8 without a BOM', async () => {
    const stats = await verifyBytes(utf8(ROSTER, false));

    expect(stats).toMatchObject({ encoding: 'utf-8', rows: 2, validRows: 2, errors: [] });
  });

  it('detects GB18030 without being told and reads its headers and dates', async () => {
    // Prepare: GBK bytes of a header and a 年月日 date, from the runtime's own GB18030 table.
    const bytes = gb18030(
      csv('姓名,证件号码,培训日期,工作单位,入职日期', `张三,${ID_A},2021年3月5日,某公司,2021年4月1日`),
    );

    // Act
    const stats = await verifyBytes(bytes);

    // Assess
    expect(stats).toMatchObject({
      encoding: 'gb18030',
      rows: 1,
      validRows: 1,
      trainedInYear: 1,
      employedOfTrained: 1,
    });
  });

  it('reads the well-known GBK bytes of 姓名,身份证号码', async () => {
    // Prepare: 姓名 = D0D5 C3FB, 身份证号码 = C9ED B7DD D6A4 BAC5 C2EB, written out by hand.
    const header = [0xd0, 0xd5, 0xc3, 0xfb, 0x2c, 0xc9, 0xed, 0xb7, 0xdd, 0xd6, 0xa4, 0xba, 0xc5, 0xc2, 0xeb];
    const rest = gb18030(`,结业日期,就业单位,就业日期\r\n张三,${ID_A},2021-03-05,,\r\n`);
    const bytes = Uint8Array.from([...header, ...rest]);

    // Act
    const stats = await verifyBytes(bytes);

    // Assess
    expect(stats).toMatchObject({ encoding: 'gb18030', validRows: 1 });
  });

  it('refuses GB18030 with a clear code where the runtime has no GB18030 decoder (small-icu)', async () => {
    // Prepare: GBK bytes, then a TextDecoder that, like a small-icu build, knows only UTF-8.
    const bytes = gb18030(csv('姓名,身份证号码', '张三,1'));
    const Real = TextDecoder;
    vi.stubGlobal(
      'TextDecoder',
      class extends Real {
        constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean }) {
          if (label !== undefined && label.toLowerCase() !== 'utf-8')
            throw new RangeError(`unsupported ${label}`);
          super(label, options);
        }
      },
    );

    // Act / Assess
    await expect(verifyBytes(bytes)).rejects.toMatchObject({
      code: 'ROSTER_ENCODING_UNSUPPORTED',
      status: 422,
    });
  });

  it('refuses UTF-16 with its own code', async () => {
    const bytes = Uint8Array.from([0xff, 0xfe, ...new Uint8Array(Buffer.from(ROSTER, 'utf16le'))]);

    await expect(verifyBytes(bytes)).rejects.toMatchObject({ code: 'ROSTER_ENCODING_UNSUPPORTED' });
  });

  it('refuses a legacy .xls (OLE2) file by its magic bytes', async () => {
    const bytes = Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0]);

    await expect(verifyBytes(bytes)).rejects.toMatchObject({ code: 'ROSTER_FORMAT_XLS' });
  });

  it('refuses binary content that is neither CSV nor XLSX', async () => {
    const bytes = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]);

    await expect(verifyBytes(bytes)).rejects.toMatchObject({ code: 'ROSTER_FORMAT_UNKNOWN' });
  });

  it('refuses an empty file', async () => {
    await expect(verifyBytes(new Uint8Array(0))).rejects.toMatchObject({ code: 'ROSTER_EMPTY' });
  });
});

describe('roster CSV structure', () => {
  it('splits quoted fields with commas, doubled quotes and line breaks as one cell each', async () => {
    // Prepare
    const text = csv(
      TRAINING_HEADER,
      `1,"张,三","${ID_A}",13812345678,2021-03-05,"临汾""某""公司,\r\n二部",2021-04-01`,
      `2,李四,${ID_B},,2021-03-05,,`,
    );

    // Act
    const stats = await verifyText(text);

    // Assess: the line break inside quotes did not start a row; row 3 is still row 3.
    expect(stats).toMatchObject({ rows: 2, validRows: 2, employedOfTrained: 1 });
    expect(stats.errors).toEqual([]);
  });

  it('numbers rows as a spreadsheet does, counting a quoted line break as one row', async () => {
    const text = csv(TRAINING_HEADER, `1,"甲\n乙",${ID_A},,2021-03-05,,`, `2,丙,12345,,2021-03-05,,`);

    const stats = await verifyText(text);

    expect(stats.errors[0]).toMatchObject({ row: 3, code: 'ID_LENGTH' });
  });

  it('reads LF-only line ends as well as CRLF', async () => {
    const text = `${TRAINING_HEADER}\n1,张三,${ID_A},,2021-03-05,,\n2,李四,${ID_B},,2021-03-05,,`;

    const stats = await verifyText(text);

    expect(stats).toMatchObject({ rows: 2, validRows: 2 });
  });

  it('gives the same result when every byte arrives in its own chunk (multi-byte chars and CRLF split)', async () => {
    // Prepare
    const bytes = utf8(
      csv(
        TRAINING_HEADER,
        `1,"张,三",${ID_A},13812345678,2021年3月5日,某公司,2021/4/1`,
        `2,李𠮷,${ID_B},,44260,,`,
      ),
      true,
    );
    const whole = await verifyBytes(bytes);

    // Act
    const split = await verifyBytes(chunked(bytes, 1));

    // Assess
    expect(split).toEqual(whole);
    expect(split).toMatchObject({ rows: 2, validRows: 2, trainedInYear: 2, employedOfTrained: 1 });
  });

  it('gives the same GB18030 result for one-byte chunks', async () => {
    const bytes = gb18030(
      csv(
        '姓名,身份证号码,结业日期,就业单位,就业日期',
        `张三,${ID_A},2021年3月5日,某公司,2021年4月1日`,
        `李四,${ID_B},2021-03-05,,`,
      ),
    );

    const split = await verifyBytes(chunked(bytes, 1));

    expect(split).toMatchObject({ encoding: 'gb18030', rows: 2, validRows: 2, employedOfTrained: 1 });
  });

  it('skips blank lines before the header and between rows without counting them', async () => {
    const text = `\r\n,,,\r\n${TRAINING_HEADER}\r\n\r\n1,张三,${ID_A},,2021-03-05,,\r\n,,,,,,\r\n2,李四,abc,,2021-03-05,,\r\n`;

    const stats = await verifyText(text);

    expect(stats.rows).toBe(2);
    expect(stats.errors[0]).toMatchObject({ row: 7, code: 'ID_FORMAT' });
  });

  it('treats a row with only a pre-filled serial number as blank', async () => {
    const stats = await verifyText(
      csv(TRAINING_HEADER, `1,张三,${ID_A},,2021-03-05,,`, '2,,,,,,', '3,,,,,,'),
    );

    expect(stats).toMatchObject({ rows: 1, invalidRows: 0 });
  });

  it('tolerates unknown and trailing columns and short rows', async () => {
    const text = csv(
      `备注,${TRAINING_HEADER},,,`,
      `x,1,张三,${ID_A},,2021-03-05`,
      `y,2,李四,${ID_B},,2021-03-05,,,,,`,
    );

    const stats = await verifyText(text);

    expect(stats).toMatchObject({ rows: 2, validRows: 2, trainedInYear: 2 });
  });

  it('reads a web ReadableStream and a Node Readable alike', async () => {
    const bytes = utf8(ROSTER, true);
    const web = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const c of chunked(bytes, 7)) controller.enqueue(c);
        controller.close();
      },
    });

    const options = { kind: 'training', roundYear: 2021, today: new Date('2022-01-01') } as const;

    const a = await verifyRoster(web, options);
    const b = await verifyRoster(Readable.from(chunked(bytes, 5)), options);

    expect(a).toEqual(b);
    expect(a.validRows).toBe(2);
  });

  it('refuses text chunks (a stream opened with an encoding)', async () => {
    const text = Readable.from([ROSTER], { objectMode: true });

    await expect(
      verifyRoster(text, { kind: 'training', roundYear: 2021, today: new Date() }),
    ).rejects.toThrow(TypeError);
  });
});

describe('roster CSV limits', () => {
  const rows = (n: number): string =>
    csv(TRAINING_HEADER, ...Array.from({ length: n }, (_, i) => `${i + 1},张三,${SAMPLE_ID},,2021-03-05,,`));

  it('stops at the row cap with ROSTER_LIMIT_ROWS', async () => {
    const error = await verifyText(rows(11), { limits: { maxRows: 10 } }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(RosterLimitError);
    expect(error).toMatchObject({ code: 'ROSTER_LIMIT_ROWS', status: 422, limit: 10, observed: 11 });
  });

  it('accepts exactly the row cap', async () => {
    const stats = await verifyText(rows(10), { limits: { maxRows: 10 } });

    expect(stats.rows).toBe(10);
  });

  it('stops at the column cap with ROSTER_LIMIT_COLUMNS', async () => {
    const text = csv(TRAINING_HEADER, `1,张三,${SAMPLE_ID}${',x'.repeat(20)}`);

    await expect(verifyText(text, { limits: { maxColumns: 16 } })).rejects.toMatchObject({
      code: 'ROSTER_LIMIT_COLUMNS',
    });
  });

  it('stops at the cell cap with ROSTER_LIMIT_CELL', async () => {
    const text = csv(TRAINING_HEADER, `1,${'张'.repeat(400)},${SAMPLE_ID},,2021-03-05,,`);

    await expect(verifyText(text, { limits: { maxCellBytes: 1000 } })).rejects.toMatchObject({
      code: 'ROSTER_LIMIT_CELL',
    });
  });

  it('stops an unterminated quote at the line cap with ROSTER_LIMIT_LINE, even across chunks', async () => {
    const text = csv(
      TRAINING_HEADER,
      `1,"张三,${SAMPLE_ID},,2021-03-05,,`,
      ...Array.from({ length: 200 }, () => 'a,b,c,d,e,f'),
    );

    const error = await verifyBytes(chunked(utf8(text), 64), {
      limits: { maxLineBytes: 1024, maxCellBytes: 4096 },
    }).catch((e: unknown) => e);

    expect(error).toMatchObject({ code: 'ROSTER_LIMIT_LINE' });
  });

  it('stops at the byte cap with ROSTER_LIMIT_BYTES', async () => {
    await expect(
      verifyBytes(chunked(utf8(rows(100)), 100), { limits: { maxBytes: 2000 } }),
    ).rejects.toMatchObject({
      code: 'ROSTER_LIMIT_BYTES',
    });
  });

  it('exports its limit error as a 422 UnprocessableError family member', () => {
    const error = new RosterLimitError('ROSTER_LIMIT_ROWS', 'x', 1, 2);

    expect(error).toBeInstanceOf(RosterFileError);
    expect(error.status).toBe(422);
  });
});

describe('roster progress', () => {
  it('reports progress throttled by rows, then a final 100 %', async () => {
    // Prepare
    const lines = Array.from({ length: 2500 }, (_, i) => `${i},张三,${SAMPLE_ID},,2021-03-05,,`);
    const bytes = utf8(csv(TRAINING_HEADER, ...lines));
    const seen: RosterProgress[] = [];

    // Act
    await verifyBytes(chunked(bytes, 4096), {
      onProgress: (p) => seen.push(p),
      progressEveryRows: 1000,
      totalBytes: bytes.length,
    });

    // Assess
    expect(seen.length).toBeGreaterThan(2);
    expect(seen.length).toBeLessThan(120);
    expect(seen.at(-1)).toEqual({
      rowsRead: 2501,
      bytesRead: bytes.length,
      totalBytes: bytes.length,
      percent: 100,
    });
    const percents = seen.map((p) => p.percent ?? 0);
    expect([...percents].sort((a, b) => a - b)).toEqual(percents);
  });

  it('does not report progress more often than every N rows without a total size', async () => {
    const lines = Array.from({ length: 2500 }, (_, i) => `${i},张三,${SAMPLE_ID},,2021-03-05,,`);
    const seen: RosterProgress[] = [];

    await verifyBytes(chunked(utf8(csv(TRAINING_HEADER, ...lines)), 512), {
      onProgress: (p) => seen.push(p),
      progressEveryRows: 1000,
    });

    expect(seen.map((p) => p.percent)).toEqual([undefined, undefined, undefined]);
    expect(seen.length).toBe(3);
  });
});

describe('roster issues stream', () => {
  it('keeps 100 issues in the stats but streams every one', async () => {
    const lines = Array.from({ length: 150 }, (_, i) => `${i},张三,bad,,2021-03-05,,`);
    const streamed: string[] = [];

    const stats = await verifyText(csv(TRAINING_HEADER, ...lines), { onIssue: (i) => streamed.push(i.code) });

    expect(stats.errors).toHaveLength(100);
    expect(stats.errorsTotal).toBe(150);
    expect(streamed).toHaveLength(150);
    expect(codesOf(stats).every((c) => c === 'ID_FORMAT')).toBe(true);
  });
});
