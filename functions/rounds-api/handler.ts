import { createHash, randomUUID } from 'node:crypto';
import { isWithinPublicity } from '#shared/calendar/index';
import { certificateVerification } from '#shared/certificates/verification';
import { now, nowIso } from '#shared/clock';
import { BadRequestError, ForbiddenError, NotFoundError, TooManyRequestsError } from '#shared/errors';
import { apiHandler } from '#shared/http/api-handler';
import { certificateParams, objectionBody, roundParams, selectionBody } from '#shared/http/requests';
import { json } from '#shared/http/responses';
import { maskMobile } from '#shared/ids/mask';
import { validateMobile } from '#shared/ids/mobile';
import { validateOfficePhone } from '#shared/ids/office-phone';
import { logger } from '#shared/logger';
import { getRound, publicRoundView, type Round } from '#shared/rounds/index';
import { countyRecommendations } from '#shared/rules/recommendation-floor';
import { appendAuditEntry } from '#shared/store/cases-repository';
import { getRecognitionByCertificate } from '#shared/store/recognition-repository';
import {
  countCasesByStatus,
  countRecommendations,
  getSelection,
  putObjection,
  withinRateLimit,
} from '#shared/store/rounds-repository';
import { proposedRanking, selectCandidates } from '#shared/workflow/selection';

/** Objections one caller may raise per round and hour (the stage throttle guards the rest). */
const OBJECTIONS_PER_HOUR = 10;

function roundOrFail(roundId: string): Round {
  const round = getRound(roundId);
  if (!round) throw new NotFoundError('ROUND_NOT_FOUND', `没有 ${roundId} 年度的申报`);
  return round;
}

/** A mobile or a landline, normalised; anything else is a 400 naming the field. */
function contactPhone(input: string): string {
  const mobile = validateMobile(input);
  if (mobile.ok) return mobile.value;
  const office = validateOfficePhone(input);
  if (office.ok) return office.value;
  throw new BadRequestError('INVALID_REQUEST', '请求内容不符合接口约定', [
    { path: 'body.phone', code: 'INVALID_PHONE', message: '请填写有效的手机号码或固定电话' },
  ]);
}

export const handler = apiHandler('rounds-api', {
  'GET /v1/rounds/{roundId}': async (request) => {
    const { roundId } = request.params(roundParams);
    return json(200, publicRoundView(roundOrFail(roundId)), { 'cache-control': 'public, max-age=300' });
  },

  'GET /v1/rounds/{roundId}/dashboard': async (request) => {
    request.requireRole('city');
    const round = roundOrFail(request.params(roundParams).roundId);
    const [byStatus, recommended] = await Promise.all([
      countCasesByStatus(round.roundId),
      countRecommendations(round.roundId),
    ]);
    const counties = countyRecommendations(round.counties, recommended);
    return json(200, {
      roundId: round.roundId,
      byStatus,
      counties,
      // Plain counties below their floor; mountain counties below their target are only a warning.
      shortfalls: counties.filter((county) => !county.meetsFloor).map((county) => county.code),
      warnings: counties
        .filter((county) => county.meetsFloor && !county.meetsTarget)
        .map((county) => county.code),
    });
  },

  'GET /v1/rounds/{roundId}/ranking': async (request) => {
    request.requireRole('city');
    const round = roundOrFail(request.params(roundParams).roundId);
    return json(200, { roundId: round.roundId, items: await proposedRanking(round) });
  },

  'POST /v1/rounds/{roundId}/selection': async (request) => {
    const caller = request.requireRole('city');
    const round = roundOrFail(request.params(roundParams).roundId);
    const body = request.body(selectionBody);
    const selection = await selectCandidates(
      round,
      { caseIds: body.caseIds, ...(body.opinion ? { opinion: body.opinion } : {}) },
      caller.sub,
      nowIso(),
    );
    return json(200, {
      roundId: selection.roundId,
      publicityStartsAt: selection.publicityStartsAt,
      publicityEndsAt: selection.publicityEndsAt,
      calendarVersion: selection.calendarVersion,
      followsRanking: selection.followsRanking,
      cases: [
        ...selection.items.map((item) => ({ ...item, outcome: 'selected' })),
        ...selection.notSelected.map((caseId) => ({ caseId, outcome: 'not-selected' })),
      ],
    });
  },

  'GET /v1/rounds/{roundId}/publicity': async (request) => {
    const round = roundOrFail(request.params(roundParams).roundId);
    const selection = await getSelection(round.roundId);
    if (!selection) throw new NotFoundError('NO_PUBLICITY', '本年度候选名单尚未公示');
    return json(
      200,
      {
        roundId: round.roundId,
        publicityStartsAt: selection.publicityStartsAt,
        publicityEndsAt: selection.publicityEndsAt,
        open: isWithinPublicity(windowOf(selection), now()),
        items: selection.items,
      },
      { 'cache-control': 'public, max-age=60' },
    );
  },

  'POST /v1/rounds/{roundId}/objections': async (request) => {
    const round = roundOrFail(request.params(roundParams).roundId);
    const body = request.body(objectionBody);
    const phone = contactPhone(body.phone);

    const at = now();
    const callerHash = createHash('sha256')
      .update(`${round.roundId}\n${request.event.requestContext.http.sourceIp}`)
      .digest('hex')
      .slice(0, 32);
    const hour = at.toISOString().slice(0, 13);
    const allowed = await withinRateLimit(round.roundId, {
      window: hour,
      callerHash,
      limit: OBJECTIONS_PER_HOUR,
      expiresAt: Math.floor(at.getTime() / 1000) + 2 * 3600,
    });
    if (!allowed) throw new TooManyRequestsError('TOO_MANY_OBJECTIONS', '提交过于频繁，请稍后再试');

    const selection = await getSelection(round.roundId);
    if (!selection || !isWithinPublicity(windowOf(selection), at)) {
      throw new ForbiddenError('OUTSIDE_PUBLICITY', '不在公示期内，不受理异议');
    }
    if (!selection.caseIds.includes(body.caseId)) {
      throw new NotFoundError('CASE_NOT_IN_PUBLICITY', '公示名单中没有该申报');
    }

    const objectionId = randomUUID();
    const receivedAt = at.toISOString();
    await putObjection(
      {
        objectionId,
        caseId: body.caseId,
        roundId: round.roundId,
        reason: body.reason,
        phoneMasked: phone.length === 11 ? maskMobile(phone) : `${phone.slice(0, 4)}****${phone.slice(-2)}`,
        receivedAt,
        state: 'OPEN',
      },
      { name: body.name, phone },
    );
    // The trail records that an objection came in, never who raised it.
    await appendAuditEntry(body.caseId, {
      at: receivedAt,
      status: 'PUBLICITY',
      actor: { id: 'public', role: 'public' },
      action: 'objection-raised',
      note: objectionId,
    });
    logger.info('objection received', { roundId: round.roundId, caseId: body.caseId, objectionId });
    return json(201, { objectionId, receivedAt });
  },

  'GET /v1/certificates/{certificateNo}': async (request) => {
    // A malformed number is answered like an unknown one: a forger learns nothing about the numbering.
    const params = certificateParams.safeParse(request.event.pathParameters ?? {});
    const recognition = params.success
      ? await getRecognitionByCertificate(params.data.certificateNo)
      : undefined;
    if (!recognition) throw new NotFoundError('CERTIFICATE_NOT_FOUND', '没有该证书编号');
    return json(200, certificateVerification(recognition), { 'cache-control': 'public, max-age=300' });
  },
});

function windowOf(selection: {
  publicityStartsAt: string;
  publicityEndsAt: string;
  calendarVersion: string;
}) {
  return {
    startsAt: selection.publicityStartsAt,
    endsAt: selection.publicityEndsAt,
    workingDays: [],
    calendarVersion: selection.calendarVersion,
  };
}
