import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import { qrMatrix, renderCertificateSvg } from '#shared/certificates/document';
import { certificateSvgOf } from '#shared/certificates/issue';
import { certificateDocumentKey, verificationUrl } from '#shared/certificates/keys';
import { certificateVerification } from '#shared/certificates/verification';
import type { Recognition } from '#shared/store/recognition-repository';

const input = {
  certificateNo: 'LF-2021-PP-001',
  kind: 'brand' as const,
  name: '洪洞护工 <&>',
  ownerUnit: '洪洞县职业培训学校',
  roundId: '2021',
  year: 2021,
  certifiedAt: '2021-12-10T16:00:02.000Z',
  verificationUrl: 'https://laowu.example.gov.cn/v1/certificates/LF-2021-PP-001',
  issuer: '临汾市人力资源和社会保障局',
};

/** The dark modules of the QR path back as a matrix. */
function matrixOf(svg: string, size: number): boolean[][] {
  const path = /<path id="qr" d="([^"]*)"/.exec(svg)?.[1] ?? '';
  const matrix = Array.from({ length: size }, () => Array.from({ length: size }, () => false));
  for (const [, x, y] of path.matchAll(/M(\d+) (\d+)h1v1h-1z/g)) {
    const row = matrix[Number(y)];
    if (row) row[Number(x)] = true;
  }
  return matrix;
}

describe('the certificate document', () => {
  it('is well-formed SVG carrying the number, the unit, the Shanghai date and the issuer', () => {
    const svg = renderCertificateSvg(input);
    new SaxesParser().write(svg).close();
    for (const text of [
      'LF-2021-PP-001',
      '洪洞护工 &lt;&amp;&gt;',
      '洪洞县职业培训学校',
      '2021年12月11日',
      '临汾市人力资源和社会保障局',
    ]) {
      expect(svg).toContain(text);
    }
    expect(svg).not.toContain('<script');
  });

  it('draws a QR code of exactly the verification URL', () => {
    const svg = renderCertificateSvg(input);
    const expected = qrMatrix(input.verificationUrl);
    expect(expected.length).toBeGreaterThanOrEqual(21);
    expect(matrixOf(svg, expected.length)).toEqual(expected);
    expect(qrMatrix(`${input.verificationUrl}X`)).not.toEqual(expected);
  });

  it('is the same bytes for the same recognition (rewriting it on a retry changes nothing)', () => {
    expect(renderCertificateSvg(input)).toBe(renderCertificateSvg({ ...input }));
  });
});

describe('issuing a recognition’s certificate', () => {
  it('renders the same document at certification and for a download that finds none stored', () => {
    const recognition = { ...input, kind: 'brand' as const };
    const issued = certificateSvgOf(recognition, 2021, 'https://laowu.example.gov.cn/');
    expect(issued).toBe(renderCertificateSvg(input));
    expect(certificateSvgOf(recognition, 2021, 'https://laowu.example.gov.cn')).toBe(issued);
  });
});

describe('certificate keys and URLs', () => {
  it('point the QR code at the public verification route under the configured base URL', () => {
    expect(verificationUrl('https://laowu.example.gov.cn/', 'LF-2021-JD-002')).toBe(
      'https://laowu.example.gov.cn/v1/certificates/LF-2021-JD-002',
    );
  });

  it('keep documents outside the intake prefix and refuse unsafe numbers', () => {
    expect(certificateDocumentKey('2021', 'LF-2021-PP-001')).toBe('certificates/2021/LF-2021-PP-001.svg');
    expect(() => certificateDocumentKey('2021', '../rounds/x')).toThrow();
  });
});

describe('public verification', () => {
  const recognition = {
    caseId: 'c',
    roundId: '2021',
    kind: 'base',
    certificateNo: 'LF-2021-JD-001',
    name: '基地',
    ownerUnit: '单位',
    certifiedAt: '2021-12-10T16:00:02.000Z',
    ownerCreditCode: '91350100M000100Y43',
    rewardYuan: 50000,
  } as Recognition;

  it('shows the certificate as issued, valid, and nothing internal', () => {
    expect(certificateVerification(recognition)).toEqual({
      certificateNo: 'LF-2021-JD-001',
      kind: 'base',
      name: '基地',
      ownerUnit: '单位',
      roundId: '2021',
      certifiedAt: '2021-12-10T16:00:02.000Z',
      valid: true,
    });
  });

  it('says a revoked certificate is no longer valid, and since when', () => {
    expect(certificateVerification({ ...recognition, revokedAt: '2022-01-05T01:00:00.000Z' })).toMatchObject({
      valid: false,
      revokedAt: '2022-01-05T01:00:00.000Z',
    });
  });
});
