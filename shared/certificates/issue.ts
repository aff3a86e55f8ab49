import type { Recognition } from '../store/recognition-repository';
import { ISSUING_BUREAU, renderCertificateSvg } from './document';
import { verificationUrl } from './keys';

/**
 * The certificate document of a recognition, as issued: written at certification and, should that
 * write have failed, rendered again identically for a download (the rendering is deterministic).
 */
export function certificateSvgOf(
  recognition: Pick<Recognition, 'certificateNo' | 'kind' | 'name' | 'ownerUnit' | 'roundId' | 'certifiedAt'>,
  year: number,
  publicBaseUrl: string,
): string {
  return renderCertificateSvg({
    certificateNo: recognition.certificateNo,
    kind: recognition.kind,
    name: recognition.name,
    ownerUnit: recognition.ownerUnit,
    roundId: recognition.roundId,
    year,
    certifiedAt: recognition.certifiedAt,
    verificationUrl: verificationUrl(publicBaseUrl, recognition.certificateNo),
    issuer: ISSUING_BUREAU,
  });
}
