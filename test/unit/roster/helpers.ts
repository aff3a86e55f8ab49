import { type RosterStats, type VerifyRosterOptions, verifyRoster } from '#shared/roster/index';
import { encodeGb18030 } from '../../fixtures/roster/gb18030';

export const TODAY = new Date('2022-06-01T04:00:00Z');

/** The standard example of GB 11643-1999, valid, with an X check character. */
export const SAMPLE_ID = '11010519491231002X';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/** An ID with the right check character for `area` (6 digits), `birth` (yyyymmdd) and `seq` (3 digits). */
export function makeId(area: string, birth: string, seq: string): string {
  const body = `${area}${birth}${seq}`;
  const sum = [...body].reduce((s, d, i) => s + Number(d) * (WEIGHTS[i] as number), 0);
  return body + '10X98765432'.charAt(sum % 11);
}

/** The same body with a check character that is certainly wrong. */
export function withWrongCheck(id: string): string {
  const right = id.charAt(17);
  return id.slice(0, 17) + (right === '1' ? '2' : '1');
}

export function utf8(text: string, bom = false): Uint8Array {
  const body = new TextEncoder().encode(text);
  if (!bom) return body;
  const out = new Uint8Array(body.length + 3);
  out.set([0xef, 0xbb, 0xbf]);
  out.set(body, 3);
  return out;
}

export function gb18030(text: string): Uint8Array {
  return encodeGb18030(text);
}

/** Splits bytes into chunks of `size` (1 = every byte its own chunk). */
export function chunked(bytes: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.slice(i, i + size));
  return out;
}

export function csv(...lines: string[]): string {
  return `${lines.join('\r\n')}\r\n`;
}

export const TRAINING_HEADER = '序号,姓名,身份证号码,手机号码,结业日期,就业单位,就业日期';
export const OUTPUT_HEADER = '姓名,身份证号码,输出日期,就业单位,输出地';

export async function verifyBytes(
  bytes: Uint8Array | Uint8Array[],
  options: Partial<VerifyRosterOptions> = {},
): Promise<RosterStats> {
  return verifyRoster(Array.isArray(bytes) ? bytes : [bytes], {
    kind: 'training',
    roundYear: 2021,
    today: TODAY,
    ...options,
  });
}

export async function verifyText(
  text: string,
  options: Partial<VerifyRosterOptions> = {},
): Promise<RosterStats> {
  return verifyBytes(utf8(text), options);
}

export function codesOf(stats: RosterStats): string[] {
  return stats.errors.map((e) => e.code);
}
