import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { z } from 'zod';
import { nowIso } from '#shared/clock';
import { parseEvidenceObjectKey, QUARANTINE_PREFIX } from '#shared/evidence/keys';
import { sniffHead } from '#shared/evidence/sniff';
import { logger } from '#shared/logger';
import { digestObject, quarantine } from '#shared/objects/evidence-bucket';
import { isRosterSlot } from '#shared/roster-processing/options';
import { getEvidence, isObjectEventHandled, markObjectEventHandled } from '#shared/store/cases-repository';
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

  // A roster is read once: type checks on its first bytes, then the same stream is verified.
  if (isRosterSlot(parts.slot)) {
    await intakeRoster(key, caseId, parts.slot, reservation);
    return;
  }

  const digest = await digestObject(key);
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
  });
  logger.info('evidence accepted', { caseId, evidenceId: objectId, slot: parts.slot, size: digest.size });
}

export const handler = middy(intake).use(injectLambdaContext(logger, { resetKeys: true }));
