import qrcode from 'qrcode-generator';
import { chineseDate } from '../documents/application-form';
import { escapeXml } from '../documents/docx';
import type { Kind } from '../rounds/schema';

/**
 * The certificate document (认定证书) as an SVG: printable at A4 landscape, its number in words and
 * a QR code pointing at the public verification URL, so whoever holds a printout can check it
 * against the register. Pure: the same recognition and URL always give the same bytes.
 */
export interface CertificateInput {
  certificateNo: string;
  kind: Kind;
  name: string;
  ownerUnit: string;
  roundId: string;
  year: number;
  certifiedAt: string;
  verificationUrl: string;
  /** The issuing bureau, e.g. 临汾市人力资源和社会保障局. */
  issuer: string;
}

/** The bureau that issues the certificates (the first customer; the notice's sender). */
export const ISSUING_BUREAU = '临汾市人力资源和社会保障局';

const TITLES: Record<Kind, string> = { brand: '市级劳务品牌', base: '市级劳务协作基地' };

/** The QR code's modules (true = dark), error correction M, the smallest version that fits. */
export function qrMatrix(text: string): boolean[][] {
  const code = qrcode(0, 'M');
  code.addData(text, 'Byte');
  code.make();
  const size = code.getModuleCount();
  return Array.from({ length: size }, (_, row) =>
    Array.from({ length: size }, (_, col) => code.isDark(row, col)),
  );
}

/** The dark modules as one SVG path in module units (one `M x y h1v1h-1z` square each). */
export function qrPath(matrix: readonly (readonly boolean[])[]): string {
  const parts: string[] = [];
  matrix.forEach((row, y) => {
    row.forEach((dark, x) => {
      if (dark) parts.push(`M${x} ${y}h1v1h-1z`);
    });
  });
  return parts.join('');
}

export function renderCertificateSvg(input: CertificateInput): string {
  const matrix = qrMatrix(input.verificationUrl);
  const size = matrix.length;
  const quiet = 4;
  const title = `${TITLES[input.kind]}认定证书`;
  const statement = `经评审认定，${input.ownerUnit}“${input.name}”为${input.year}年度临汾${TITLES[input.kind]}。`;
  const text = (x: number, y: number, value: string, size: number, extra = '') =>
    `<text x="${x}" y="${y}" font-size="${size}"${extra}>${escapeXml(value)}</text>`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<svg xmlns="http://www.w3.org/2000/svg" width="297mm" height="210mm" viewBox="0 0 1123 794">',
    `<title>${escapeXml(`${title} ${input.certificateNo}`)}</title>`,
    `<metadata>${escapeXml(JSON.stringify({ certificateNo: input.certificateNo, roundId: input.roundId, verificationUrl: input.verificationUrl }))}</metadata>`,
    '<rect width="1123" height="794" fill="#fffdf5"/>',
    '<rect x="28" y="28" width="1067" height="738" fill="none" stroke="#b22222" stroke-width="6"/>',
    '<rect x="44" y="44" width="1035" height="706" fill="none" stroke="#b22222" stroke-width="1.5"/>',
    '<g font-family="SimSun, Songti SC, Noto Serif CJK SC, serif" fill="#1a1a1a" text-anchor="middle">',
    text(561, 170, title, 56, ' fill="#b22222" font-weight="bold"'),
    text(561, 300, input.name, 44, ' font-weight="bold"'),
    text(561, 360, input.ownerUnit, 28),
    text(561, 440, statement, 24),
    text(561, 480, '特发此证。', 24),
    '</g>',
    '<g font-family="SimSun, Songti SC, Noto Serif CJK SC, serif" fill="#1a1a1a" text-anchor="start">',
    text(110, 640, `证书编号：${input.certificateNo}`, 22),
    text(110, 680, `认定日期：${chineseDate(input.certifiedAt)}`, 22),
    '</g>',
    '<g font-family="SimSun, Songti SC, Noto Serif CJK SC, serif" fill="#1a1a1a" text-anchor="middle">',
    text(620, 660, input.issuer, 26),
    text(620, 700, chineseDate(input.certifiedAt), 22),
    '</g>',
    `<svg x="873" y="520" width="170" height="170" viewBox="${-quiet} ${-quiet} ${size + 2 * quiet} ${size + 2 * quiet}" shape-rendering="crispEdges">`,
    `<rect x="${-quiet}" y="${-quiet}" width="${size + 2 * quiet}" height="${size + 2 * quiet}" fill="#ffffff"/>`,
    `<path id="qr" d="${qrPath(matrix)}" fill="#000000"/>`,
    '</svg>',
    text(958, 712, '扫码核验证书', 16, ' text-anchor="middle" font-family="SimSun, serif"'),
    text(958, 734, input.verificationUrl, 9, ' text-anchor="middle" font-family="monospace"'),
    '</svg>',
    '',
  ].join('\n');
}
