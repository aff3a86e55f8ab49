import { EVIDENCE_UPLOAD_PREFIX } from '../evidence/keys';
import { CERTIFICATE_NUMBER_PATTERN } from '../rules/certificate';

/**
 * Certificate documents, written at certification into the evidence bucket under their own prefix
 * (never the upload prefix `rounds/`, whose objects trigger intake).
 */
export const CERTIFICATES_PREFIX = 'certificates/';

if (CERTIFICATES_PREFIX.startsWith(EVIDENCE_UPLOAD_PREFIX)) {
  throw new Error('certificate documents must not live under the intake prefix');
}

export function certificateDocumentKey(roundId: string, certificateNo: string): string {
  if (!/^[A-Za-z0-9-]{1,32}$/.test(roundId) || !CERTIFICATE_NUMBER_PATTERN.test(certificateNo)) {
    throw new Error(`unsafe certificate document key: ${roundId}/${certificateNo}`);
  }
  return `${CERTIFICATES_PREFIX}${roundId}/${certificateNo}.svg`;
}

/** The public verification URL a certificate's QR code points at (API.md `GET /v1/certificates/{no}`). */
export function verificationUrl(publicBaseUrl: string, certificateNo: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/v1/certificates/${encodeURIComponent(certificateNo)}`;
}
