/**
 * Object keys of the evidence bucket. Uploads land under `rounds/{roundId}/cases/{caseId}/{slot}/{uuid}`
 * with a key the server chose; intake moves refused objects under `quarantine/`.
 */
export const EVIDENCE_UPLOAD_PREFIX = 'rounds/';
export const QUARANTINE_PREFIX = 'quarantine/';

export interface EvidenceKey {
  roundId: string;
  caseId: string;
  slot: string;
  objectId: string;
}

const SEGMENT = /^[A-Za-z0-9_-]{1,64}$/;

export function evidenceObjectKey(parts: EvidenceKey): string {
  for (const value of Object.values(parts)) {
    if (!SEGMENT.test(value)) throw new Error(`unsafe evidence key segment: ${value}`);
  }
  return `rounds/${parts.roundId}/cases/${parts.caseId}/${parts.slot}/${parts.objectId}`;
}

/** Reads a key back; anything that is not exactly an upload key of a case is `undefined`. */
export function parseEvidenceObjectKey(key: string): EvidenceKey | undefined {
  const parts = key.split('/');
  if (parts.length !== 6 || parts[0] !== 'rounds' || parts[2] !== 'cases') return undefined;
  const [, roundId = '', , caseId = '', slot = '', objectId = ''] = parts;
  // The object name may be anything S3 accepts; the case, round and slot must be ours.
  if (![roundId, caseId, slot].every((segment) => SEGMENT.test(segment)) || objectId === '') return undefined;
  return { roundId, caseId, slot, objectId };
}
