import { z } from 'zod';
import { nowIso } from '#shared/clock';
import { logger } from '#shared/logger';
import { findCounty, getRound } from '#shared/rounds/index';
import { certificateNumber } from '#shared/rules/certificate';
import { getCaseHead, transitionCase } from '#shared/store/cases-repository';
import { recognise } from '#shared/store/recognition-repository';
import { stepHandler } from '#shared/workflow/step-handler';

const inputSchema = z.strictObject({ caseId: z.string().min(1) });

const text = (value: unknown) => (typeof value === 'string' ? value : '');

/**
 * Recognition (认定授牌) of a case that came through publicity without a standing objection: the next
 * certificate number of its round and kind, the one-time reward from the round, the plaque due, and
 * the entry the certified feed reads; then the case becomes CERTIFIED. Runs any number of times with
 * one result: the recognition is written once, the status changes once.
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
  logger.info('case certified', { caseId, certificateNo: recognition.certificateNo });
  return { certificateNo: recognition.certificateNo };
});
