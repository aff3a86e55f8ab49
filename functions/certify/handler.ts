import { z } from 'zod';
import { certificateSvgOf } from '#shared/certificates/issue';
import { certificateDocumentKey } from '#shared/certificates/keys';
import { putCertificateDocument } from '#shared/certificates/objects';
import { nowIso } from '#shared/clock';
import { lazyEnv } from '#shared/config';
import { publishQuietly } from '#shared/feed/publish';
import { writeFeedSnapshot } from '#shared/feed/snapshot';
import { logger } from '#shared/logger';
import { findCounty, getRound } from '#shared/rounds/index';
import { certificateNumber } from '#shared/rules/certificate';
import { getCaseHead, transitionCase } from '#shared/store/cases-repository';
import { recognise } from '#shared/store/recognition-repository';
import { stepHandler } from '#shared/workflow/step-handler';

const inputSchema = z.strictObject({ caseId: z.string().min(1) });

/** Where the public verification route is reached (CDK context `publicBaseUrl`, else the API's own URL). */
const publicBaseUrl = lazyEnv('PUBLIC_BASE_URL');

const text = (value: unknown) => (typeof value === 'string' ? value : '');

/**
 * Recognition (认定授牌) of a case that came through publicity without a standing objection: the next
 * certificate number of its round and kind, the one-time reward from the round, the plaque due, and
 * the certified feed's entry; then the case becomes CERTIFIED, its certificate document (with the QR
 * code of its verification URL) is written and the round's export snapshot refreshed — both without
 * failing the step (`publishQuietly`). Runs any number of times with one result: the recognition and
 * its feed entry are written once, the status changes once, the document and the snapshot are
 * rewritten identically.
 */
export const handler = stepHandler(inputSchema, async ({ caseId }) => {
  const head = await getCaseHead(caseId);
  if (!head) throw new Error(`case ${caseId} not found`);
  const round = getRound(head.roundId, head.roundVersion);
  if (!round) throw new Error(`round ${head.roundId} not configured`);

  const at = nowIso();
  const recognition = await recognise(caseId, head.roundId, head.kind, ({ certificateSeq, feedSeq }) => ({
    caseId,
    roundId: head.roundId,
    roundVersion: head.roundVersion,
    kind: head.kind,
    certificateNo: certificateNumber(round.certificatePrefix, head.roundId, head.kind, certificateSeq),
    certificateSeq,
    feedSeq,
    certifiedAt: at,
    name: text(head.form.name),
    ownerUnit: text(head.form.ownerUnit),
    ownerCreditCode: text(head.form.ownerCreditCode) || head.org,
    countyCode: head.countyCode && findCounty(round, head.countyCode) ? head.countyCode : null,
    rewardYuan: round.rewardYuan[head.kind],
    plaqueIssued: false,
    recommendedToProvince: null,
  }));

  if (head.status !== 'CERTIFIED') {
    await transitionCase(caseId, {
      from: ['PUBLICITY', 'OBJECTION_REVIEW'],
      to: 'CERTIFIED',
      actor: 'system',
      at: recognition.certifiedAt,
      note: recognition.certificateNo,
    });
  }
  const key = certificateDocumentKey(recognition.roundId, recognition.certificateNo);
  await publishQuietly('certificate-document', { caseId }, () =>
    putCertificateDocument(key, certificateSvgOf(recognition, round.year, publicBaseUrl())),
  );
  await publishQuietly('feed-snapshot', { roundId: head.roundId }, () => writeFeedSnapshot(head.roundId));
  logger.info('case certified', { caseId, certificateNo: recognition.certificateNo });
  return { certificateNo: recognition.certificateNo };
});
