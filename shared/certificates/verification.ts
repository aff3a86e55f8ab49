import type { Recognition } from '../store/recognition-repository';

/**
 * What public verification shows of a certificate (API.md `GET /v1/certificates/{certificateNo}`):
 * the public identity the certificate itself prints, and whether it still stands. A revoked
 * certificate is answered `valid: false` with when it was revoked; an unknown or forged number is a
 * 404 — there is nothing to show.
 */
export function certificateVerification(recognition: Recognition) {
  return {
    certificateNo: recognition.certificateNo,
    kind: recognition.kind,
    name: recognition.name,
    ownerUnit: recognition.ownerUnit,
    roundId: recognition.roundId,
    certifiedAt: recognition.certifiedAt,
    valid: !recognition.revokedAt,
    ...(recognition.revokedAt ? { revokedAt: recognition.revokedAt } : {}),
  };
}
