import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { z } from 'zod';
import { EDITABLE_STATUSES } from '#shared/cases/access';
import { nowIso } from '#shared/clock';
import { parseEvidenceObjectKey, QUARANTINE_PREFIX } from '#shared/evidence/keys';
import { sniffHead } from '#shared/evidence/sniff';
import { logger } from '#shared/logger';
import { digestObject, quarantine } from '#shared/objects/evidence-bucket';
import { isRosterSlot } from '#shared/roster-processing/options';
import {
  claimReservation,
  getCaseHead,
  getEvidence,
  isObjectEventHandled,
  markObjectEventHandled,
  putQuarantined,
} from '#shared/store/cases-repository';
import { intakeRoster, markMissing } from './roster';
import { acceptEvidence, judge, refuseEvidence } from './steps';

/** The part of an S3 event record intake relies on (validated; anything else is ignored). */
const recordSchema = z.object({
  eventName: z.string().startsWith('ObjectCreated:'),
  s3: z.object({
    bucket: z.object({ name: z.string().min(1) }),
    object: z.object({
      key: z.string().min(1),
      size: z.number().int().nonnegative().optional(),
      sequencer: z.string().min(1),
      // Present when the bucket is versioned (as on AWS): the exact version that arrived.
      versionId: z.string().min(1).optional(),
    }),
  }),
});
const eventSchema = z.object({ Records: z.array(z.unknown()) });

/** S3 keys arrive URL-encoded with `+` for spaces (S3 event notification format). */
export const decodeS3Key = (key: string) => decodeURIComponent(key.replace(/\+/g, ' '));

async function intake(event: unknown): Promise<void> {
  const { Records } = eventSchema.parse(event);
  for (const raw of Records) {
    const parsed = recordSchema.safeParse(raw);
    if (!parsed.success) {
      logger.warn('ignored a record that is not an ObjectCreated event');
      continue;
    }
    await intakeObject(parsed.data);
  }
}

async function intakeObject(record: z.infer<typeof recordSchema>): Promise<void> {
  const key = decodeS3Key(record.s3.object.key);
  const parts = parseEvidenceObjectKey(key);
  if (!parts) {
    logger.warn('ignored an object outside every case upload prefix');
    return;
  }
  const { caseId, objectId } = parts;
  const { name: bucketName } = record.s3.bucket;
  const { sequencer } = record.s3.object;
  if (await isObjectEventHandled(bucketName, key, sequencer)) {
    logger.info('duplicate or superseded S3 event', { caseId, evidenceId: objectId });
    return;
  }
  await handleObject(key, parts, { sequencer, versionId: record.s3.object.versionId });
  await markObjectEventHandled(bucketName, key, sequencer);
}

/** Every step is safe to repeat: a retried event rewrites the same evidence item and quarantine copy. */
async function handleObject(
  key: string,
  parts: NonNullable<ReturnType<typeof parseEvidenceObjectKey>>,
  object: { sequencer: string; versionId?: string },
): Promise<void> {
  const { caseId, objectId } = parts;

  const reservation = await getEvidence(caseId, objectId);
  if (!reservation || reservation.slot !== parts.slot) {
    // Nobody asked for this upload slot: keep the object away from the case.
    await quarantine(key, `${QUARANTINE_PREFIX}${key}`, object.versionId);
    logger.warn('quarantined an object with no upload reservation', { caseId, evidenceId: objectId });
    return;
  }

  // What the county verified must not change under it: objects count only while the applicant may edit.
  const head = await getCaseHead(caseId);
  if (!head || !(EDITABLE_STATUSES as readonly string[]).includes(head.status)) {
    await keepOutOfDossier(key, caseId, reservation, object, 'CASE_NOT_EDITABLE');
    return;
  }
  // A presigned POST can be replayed until it expires: the reservation takes its first object only.
  if (!(await claimReservation(caseId, objectId, object))) {
    await keepOutOfDossier(key, caseId, reservation, object, 'UPLOAD_SLOT_USED');
    return;
  }

  // A roster is read once: type checks on its first bytes, then the same stream is verified.
  if (isRosterSlot(parts.slot)) {
    await intakeRoster(key, caseId, parts.slot, reservation);
    return;
  }

  const digest = await digestObject(key, undefined, object.versionId);
  const receivedAt = nowIso();
  if (!digest) {
    await markMissing(caseId, reservation, receivedAt);
    return;
  }

  const verdict = await judge(key, reservation, digest.size, sniffHead(digest.head));
  if (!verdict.accepted) {
    await refuseEvidence(key, caseId, reservation, {
      code: verdict.code,
      reason: verdict.reason,
      size: digest.size,
      sha256: digest.sha256,
      receivedAt,
    });
    logger.info('evidence refused', { caseId, evidenceId: objectId, code: verdict.code });
    return;
  }

  await acceptEvidence(caseId, {
    ...reservation,
    status: 'ACCEPTED',
    size: digest.size,
    sha256: digest.sha256,
    detectedType: verdict.contentType,
    receivedAt,
    objectSequencer: object.sequencer,
    ...(object.versionId ? { versionId: object.versionId } : {}),
  });
  logger.info('evidence accepted', { caseId, evidenceId: objectId, slot: parts.slot, size: digest.size });
}

const QUARANTINE_REASONS = {
  UPLOAD_SLOT_USED: '上传链接已使用',
  CASE_NOT_EDITABLE: '申报已提交，材料不能更改',
} as const;

/**
 * Quarantines an object that must not enter the dossier and records it for city staff; the accepted
 * evidence item is left exactly as it was. Each object gets its own quarantine key (by sequencer).
 */
async function keepOutOfDossier(
  key: string,
  caseId: string,
  reservation: { evidenceId: string; slot: string },
  object: { sequencer: string; versionId?: string },
  reasonCode: keyof typeof QUARANTINE_REASONS,
): Promise<void> {
  const digest = await digestObject(key, 0, object.versionId);
  const quarantineKey = `${QUARANTINE_PREFIX}${key}/${object.sequencer}`;
  if (digest) await quarantine(key, quarantineKey, object.versionId);
  await putQuarantined(caseId, {
    evidenceId: reservation.evidenceId,
    slot: reservation.slot,
    reasonCode,
    reason: QUARANTINE_REASONS[reasonCode],
    receivedAt: nowIso(),
    sequencer: object.sequencer,
    quarantineKey,
    ...(object.versionId ? { versionId: object.versionId } : {}),
    ...(digest ? { sha256: digest.sha256, size: digest.size } : {}),
  });
  logger.warn('quarantined an object kept out of the dossier', {
    caseId,
    evidenceId: reservation.evidenceId,
    reasonCode,
  });
}

export const handler = middy(intake).use(injectLambdaContext(logger, { resetKeys: true }));
