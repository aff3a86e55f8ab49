import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { z } from 'zod';
import { nowIso } from '#shared/clock';
import { parseEvidenceObjectKey, QUARANTINE_PREFIX } from '#shared/evidence/keys';
import { classifyZip, type DetectedType, sniffHead, zipEntryNamesFromTail } from '#shared/evidence/sniff';
import { type EvidenceVerdict, refusal, verifyEvidence } from '#shared/evidence/verify';
import { logger } from '#shared/logger';
import { digestObject, quarantine, readTail } from '#shared/objects/evidence-bucket';
import {
  getEvidence,
  isObjectEventHandled,
  loadCase,
  markObjectEventHandled,
  putEvidence,
  supersedeEvidence,
} from '#shared/store/cases-repository';

/** The part of an S3 event record intake relies on (validated; anything else is ignored). */
const recordSchema = z.object({
  eventName: z.string().startsWith('ObjectCreated:'),
  s3: z.object({
    bucket: z.object({ name: z.string().min(1) }),
    object: z.object({
      key: z.string().min(1),
      size: z.number().int().nonnegative().optional(),
      sequencer: z.string().min(1),
    }),
  }),
});
const eventSchema = z.object({ Records: z.array(z.unknown()) });

/** Slots where a newer upload adds to, rather than replaces, the earlier ones. */
const MULTI_FILE_SLOTS = new Set(['media-reports', 'other']);

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
  await handleObject(key, parts);
  await markObjectEventHandled(bucketName, key, sequencer);
}

/** Every step is safe to repeat: a retried event rewrites the same evidence item and quarantine copy. */
async function handleObject(
  key: string,
  parts: NonNullable<ReturnType<typeof parseEvidenceObjectKey>>,
): Promise<void> {
  const { caseId, objectId } = parts;

  const reservation = await getEvidence(caseId, objectId);
  if (!reservation || reservation.slot !== parts.slot) {
    // Nobody asked for this upload slot: keep the object away from the case.
    await quarantine(key, `${QUARANTINE_PREFIX}${key}`);
    logger.warn('quarantined an object with no upload reservation', { caseId, evidenceId: objectId });
    return;
  }

  const digest = await digestObject(key);
  const receivedAt = nowIso();
  if (!digest) {
    await putEvidence(caseId, {
      ...reservation,
      status: 'REJECTED',
      reasonCode: 'MISSING',
      reason: '文件已不存在，请重新上传',
      receivedAt,
    });
    return;
  }

  const verdict = await judge(key, reservation, digest.size, sniffHead(digest.head));
  if (!verdict.accepted) {
    await quarantine(key, `${QUARANTINE_PREFIX}${key}`);
    await putEvidence(caseId, {
      ...reservation,
      status: 'REJECTED',
      reasonCode: verdict.code,
      reason: verdict.reason,
      size: digest.size,
      sha256: digest.sha256,
      receivedAt,
    });
    logger.info('evidence refused', { caseId, evidenceId: objectId, code: verdict.code });
    return;
  }

  await putEvidence(caseId, {
    ...reservation,
    status: 'ACCEPTED',
    size: digest.size,
    sha256: digest.sha256,
    detectedType: verdict.contentType,
    receivedAt,
  });
  if (!MULTI_FILE_SLOTS.has(parts.slot)) {
    const record = await loadCase(caseId);
    const earlier = (record?.evidence ?? []).filter(
      (item) =>
        item.slot === parts.slot &&
        item.evidenceId !== objectId &&
        item.status === 'ACCEPTED' &&
        !item.supersededBy,
    );
    await supersedeEvidence(
      caseId,
      earlier.map((item) => item.evidenceId),
      objectId,
    );
  }
  logger.info('evidence accepted', { caseId, evidenceId: objectId, slot: parts.slot, size: digest.size });
}

async function judge(
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

export const handler = middy(intake).use(injectLambdaContext(logger, { resetKeys: true }));
