import type { EvidenceItem } from '#shared/cases/model';
import { QUARANTINE_PREFIX } from '#shared/evidence/keys';
import { classifyZip, type DetectedType, zipEntryNamesFromTail } from '#shared/evidence/sniff';
import { type EvidenceVerdict, refusal, verifyEvidence } from '#shared/evidence/verify';
import { quarantine, readTail } from '#shared/objects/evidence-bucket';
import { loadCase, putEvidence, supersedeEvidence } from '#shared/store/cases-repository';

/** Slots where a newer upload adds to, rather than replaces, the earlier ones. */
export const MULTI_FILE_SLOTS = new Set(['media-reports', 'other']);

/** Size and type of an arrived object against its reservation; a ZIP is classified by its directory. */
export async function judge(
  key: string,
  reservation: Parameters<typeof verifyEvidence>[0],
  size: number,
  detected: DetectedType,
): Promise<EvidenceVerdict> {
  if (detected !== 'zip') return verifyEvidence(reservation, { size, detected });
  const names = zipEntryNamesFromTail(await readTail(key));
  if (!names) return refusal('UNREADABLE');
  const zip = classifyZip(names);
  if ('refused' in zip) return refusal(zip.refused);
  return verifyEvidence(reservation, { size, detected: zip.type });
}

/** A refused object leaves the upload prefix; its evidence item says why. Safe to repeat. */
export async function refuseEvidence(
  key: string,
  caseId: string,
  reservation: EvidenceItem,
  refused: { code: string; reason: string; size: number; sha256: string; receivedAt: string },
): Promise<void> {
  await quarantine(key, `${QUARANTINE_PREFIX}${key}`);
  await putEvidence(caseId, {
    ...reservation,
    status: 'REJECTED',
    reasonCode: refused.code,
    reason: refused.reason,
    size: refused.size,
    sha256: refused.sha256,
    receivedAt: refused.receivedAt,
  });
}

/**
 * Records an accepted object. In a single-file slot the newest reservation wins: earlier accepted
 * files are marked superseded by this one, and if a later one was accepted first (events processed
 * out of order), this one is marked superseded by it.
 */
export async function acceptEvidence(caseId: string, item: EvidenceItem): Promise<void> {
  await putEvidence(caseId, item);
  if (MULTI_FILE_SLOTS.has(item.slot)) return;
  const record = await loadCase(caseId);
  const others = (record?.evidence ?? []).filter(
    (other) =>
      other.slot === item.slot &&
      other.evidenceId !== item.evidenceId &&
      other.status === 'ACCEPTED' &&
      !other.supersededBy,
  );
  const later = others.filter((other) => other.reservedAt > item.reservedAt);
  const newest = later.sort((a, b) => b.reservedAt.localeCompare(a.reservedAt))[0];
  if (newest) {
    await supersedeEvidence(caseId, [item.evidenceId], newest.evidenceId);
    return;
  }
  await supersedeEvidence(
    caseId,
    others.map((other) => other.evidenceId),
    item.evidenceId,
  );
}
