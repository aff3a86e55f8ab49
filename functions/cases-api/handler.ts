import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { canReadCase, EDITABLE_STATUSES, isOwner } from '#shared/cases/access';
import { type Actor, type CaseHead, SYSTEM_ACTOR, TERMINAL_STATUSES } from '#shared/cases/model';
import { caseView } from '#shared/cases/view';
import { certificateSvgOf } from '#shared/certificates/issue';
import { certificateDocumentKey } from '#shared/certificates/keys';
import { CERTIFICATE_CONTENT_TYPE, getCertificateDocument } from '#shared/certificates/objects';
import { now, nowIso } from '#shared/clock';
import { lazyEnv } from '#shared/config';
import { renderApplicationForm } from '#shared/documents/application-form';
import { applicationFormFileName, applicationFormInputOf } from '#shared/documents/case-form';
import {
  BadRequestError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  UnprocessableError,
} from '#shared/errors';
import { evidenceObjectKey } from '#shared/evidence/keys';
import { validateRoute } from '#shared/forms/route';
import { parseDraftForm } from '#shared/forms/schemas';
import { apiHandler, type RouteRequest } from '#shared/http/api-handler';
import { fileResponse, safeFileName } from '#shared/http/download';
import type { Principal } from '#shared/http/principal';
import {
  caseParams,
  createCaseBody,
  rosterSlotParams,
  updateFormBody,
  uploadBody,
} from '#shared/http/requests';
import { json } from '#shared/http/responses';
import { logger } from '#shared/logger';
import { presignUpload, UPLOAD_EXPIRY_SECONDS } from '#shared/objects/evidence-bucket';
import { presignErrorReportDownload } from '#shared/objects/roster-objects';
import { errorReportFileName, ROSTER_REPORTS_PREFIX } from '#shared/roster-processing/keys';
import { checklistFor, getRound, isPastDeadline, type Round } from '#shared/rounds/index';
import { submissionDefects } from '#shared/rules/submission';
import {
  type CaseRecord,
  closeTask,
  createCase,
  expireClosedTask,
  getCaseHead,
  getTask,
  loadCase,
  putEvidence,
  reopenTask,
  transitionCase,
  updateForm,
} from '#shared/store/cases-repository';
import { getRecognition } from '#shared/store/recognition-repository';
import { listRoundAggregates } from '#shared/store/scores-repository';
import { reviewerCaseView } from '#shared/workflow/review-view';
import { resumeTask, startCaseWorkflow } from '#shared/workflow/sfn';

const stateMachineArn = lazyEnv('STATE_MACHINE_ARN');
/** Where certificates' QR codes point (CDK context `publicBaseUrl`, else the API's own URL). */
const publicBaseUrl = lazyEnv('PUBLIC_BASE_URL');

/**
 * First submission: the case becomes SUBMITTED (one conditional write — a concurrent second submit
 * gets 409), then its workflow starts. If the start fails the case goes back to DRAFT.
 */
async function submitDraft(head: CaseHead, actor: Actor, at: string) {
  await transitionCase(head.caseId, {
    from: ['DRAFT'],
    to: 'SUBMITTED',
    actor,
    at,
    action: 'submitted',
    incrementAttempt: true,
  });
  try {
    await startCaseWorkflow(
      stateMachineArn(),
      { caseId: head.caseId, roundId: head.roundId, route: head.route },
      head.attempt + 1,
    );
  } catch (error) {
    await transitionCase(head.caseId, {
      from: ['SUBMITTED'],
      to: 'DRAFT',
      actor: SYSTEM_ACTOR,
      at: nowIso(),
      action: 'submission-undone',
      note: 'workflow-start-failed',
    });
    throw error;
  }
}

/**
 * Resubmission after a supplement request: the applicant's open supplement task is closed and the
 * waiting workflow resumes at its automatic check. If the workflow refuses, both are undone.
 */
async function answerSupplement(head: CaseHead, taskId: string, actor: Actor, at: string) {
  const task = await getTask(taskId);
  if (!task) throw new ConflictError('NO_SUPPLEMENT_REQUEST', '没有待补正的要求');
  await closeTask(task, { state: 'DONE', at, decision: 'resubmitted', signer: actor.id });
  await transitionCase(head.caseId, {
    from: ['SUPPLEMENT_REQUESTED'],
    to: 'SUBMITTED',
    actor,
    at,
    action: 'resubmitted',
  });
  try {
    await resumeTask(task.taskToken, { decision: 'resubmitted' });
  } catch (error) {
    await transitionCase(head.caseId, {
      from: ['SUBMITTED'],
      to: 'SUPPLEMENT_REQUESTED',
      actor: SYSTEM_ACTOR,
      at: nowIso(),
      action: 'resubmission-undone',
    });
    if (error instanceof ConflictError) await expireClosedTask(task);
    else await reopenTask(task);
    throw error;
  }
}

const actorOf = (principal: Principal): Actor => ({ id: principal.sub, role: principal.role });

/** Submitted and not yet decided: the workflow holds it. */
const isInFlight = (head: CaseHead) =>
  head.attempt > 0 && !['DRAFT', 'SUPPLEMENT_REQUESTED', ...TERMINAL_STATUSES].includes(head.status);

const submitted = (head: CaseHead) => json(202, { caseId: head.caseId, status: 'SUBMITTED' });

const checklistView = (round: Round, kind: CaseHead['kind']) =>
  checklistFor(round, kind).map(({ slot, title, required, accepts, maxBytes }) => ({
    slot,
    title,
    required,
    accepts,
    maxBytes,
  }));

/** The latest round for a new case; for an existing case, the version it was created under. */
function roundOrFail(roundId: string, version?: number): Round {
  const round = getRound(roundId, version);
  if (!round) throw new UnprocessableError('ROUND_NOT_FOUND', `没有 ${roundId} 年度的申报`);
  return round;
}

/** The case the caller may act on as its owner, or a 404 that reveals nothing. */
async function ownedCase(request: RouteRequest): Promise<CaseHead> {
  const caller = request.requireRole('applicant');
  const { caseId } = request.params(caseParams);
  const head = await getCaseHead(caseId);
  if (!head || !isOwner(caller, head)) throw new NotFoundError('CASE_NOT_FOUND', '没有找到该申报');
  return head;
}

function requireEditable(head: CaseHead) {
  if (!(EDITABLE_STATUSES as readonly string[]).includes(head.status)) {
    throw new ConflictError('NOT_EDITABLE', '申报已提交，当前不能修改');
  }
}

/**
 * The case's record for a download: its owner, and county and city staff in scope. Experts (who see
 * cases only through the reviewer's view, without personal data) and everyone else get a 404.
 */
async function downloadableCase(request: RouteRequest, caseId: string): Promise<CaseRecord> {
  const caller = request.principal();
  const record = await loadCase(caseId);
  if (!record || caller.role === 'expert' || !canReadCase(caller, record.head, record.tasks)) {
    throw new NotFoundError('CASE_NOT_FOUND', '没有找到该申报');
  }
  return record;
}

const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** A stored roster error report: only a key under the reports prefix is ever presigned. */
const storedReport = z.looseObject({
  fileName: z.string().min(1),
  errorReport: z
    .looseObject({ key: z.string().startsWith(ROSTER_REPORTS_PREFIX) })
    .nullable()
    .optional(),
});

export const handler = apiHandler('cases-api', {
  'POST /v1/cases': async (request) => {
    const caller = request.requireRole('applicant');
    const body = request.body(createCaseBody);
    const round = roundOrFail(body.roundId);
    if (!round.kinds.includes(body.kind))
      throw new UnprocessableError('KIND_NOT_IN_ROUND', '本年度不受理该类申报');
    if (isPastDeadline(round, now())) throw new UnprocessableError('DEADLINE_PASSED', '本年度申报已截止');

    const route = validateRoute(round, body.route, body.countyCode);
    if (!route.ok) throw new UnprocessableError('INVALID_ROUTE', '申报途径不正确', route.defects);
    const form = parseDraftForm(round, body.kind, body.form);
    if (!form.ok) throw new BadRequestError('INVALID_FORM', '申报表内容有误', form.defects);
    if (form.form.ownerCreditCode && form.form.ownerCreditCode !== caller.org) {
      throw new ForbiddenError('OWNER_MISMATCH', '申报表中的统一社会信用代码与登录单位不一致');
    }

    const at = nowIso();
    const head: CaseHead = {
      caseId: randomUUID(),
      roundId: round.roundId,
      roundVersion: round.version,
      kind: body.kind,
      route: route.route,
      ...(route.county ? { countyCode: route.county.code } : {}),
      org: caller.org ?? '',
      status: 'DRAFT',
      version: 1,
      form: form.form,
      attempt: 0,
      createdAt: at,
      updatedAt: at,
    };
    await createCase(head, actorOf(caller));
    logger.info('case created', { caseId: head.caseId, roundId: head.roundId, kind: head.kind });
    return json(
      201,
      {
        caseId: head.caseId,
        status: head.status,
        version: head.version,
        checklist: checklistView(round, head.kind),
        warnings: form.warnings,
      },
      { location: `/v1/cases/${head.caseId}`, etag: `"${head.version}"` },
    );
  },

  'GET /v1/cases/{caseId}': async (request) => {
    const caller = request.principal();
    const { caseId } = request.params(caseParams);
    const record = await loadCase(caseId);
    if (!record || !canReadCase(caller, record.head, record.tasks)) {
      throw new NotFoundError('CASE_NOT_FOUND', '没有找到该申报');
    }
    // Experts review without anything personal: the reviewer's view (no mobile, no roster lines).
    if (caller.role === 'expert') {
      return json(200, reviewerCaseView(record, getRound(record.head.roundId, record.head.roundVersion)));
    }
    return json(200, caseView(record, caller), { etag: `"${record.head.version}"` });
  },

  'PUT /v1/cases/{caseId}/form': async (request) => {
    const head = await ownedCase(request);
    const ifMatch = request.header('if-match');
    if (!ifMatch) throw new BadRequestError('IF_MATCH_REQUIRED', '修改申报表需要带上 If-Match（当前版本号）');
    const expectedVersion = Number(ifMatch.replace(/^W\//, '').replace(/"/g, ''));
    if (!Number.isSafeInteger(expectedVersion))
      throw new BadRequestError('INVALID_IF_MATCH', 'If-Match 应为版本号');
    const body = request.body(updateFormBody);

    requireEditable(head);
    const round = roundOrFail(head.roundId, head.roundVersion);
    const form = parseDraftForm(round, head.kind, body.form);
    if (!form.ok) throw new BadRequestError('INVALID_FORM', '申报表内容有误', form.defects);
    if (form.form.ownerCreditCode && form.form.ownerCreditCode !== head.org) {
      throw new ForbiddenError('OWNER_MISMATCH', '申报表中的统一社会信用代码与登录单位不一致');
    }
    const version = await updateForm(head.caseId, expectedVersion, form.form, EDITABLE_STATUSES, {
      at: nowIso(),
      actor: actorOf(request.principal()),
      status: head.status,
    });
    return json(200, { caseId: head.caseId, version, warnings: form.warnings }, { etag: `"${version}"` });
  },

  'POST /v1/cases/{caseId}/submit': async (request) => {
    const head = await ownedCase(request);
    const actor = actorOf(request.principal());
    // Submitting again answers as the first time did: one execution, the same 202.
    if (isInFlight(head)) return submitted(head);
    requireEditable(head);
    const round = roundOrFail(head.roundId, head.roundVersion);
    const record = await loadCase(head.caseId);
    const defects = submissionDefects(round, head, record?.evidence ?? [], now(), record?.rosters);
    if (defects.length > 0)
      throw new UnprocessableError('DEFECTS', `申报还有 ${defects.length} 处问题需要处理`, defects);

    const at = nowIso();
    try {
      if (head.status === 'DRAFT') {
        await submitDraft(head, actor, at);
      } else {
        const supplement = record?.tasks.find((task) => task.type === 'supplement' && task.state === 'OPEN');
        if (!supplement) throw new ConflictError('NO_SUPPLEMENT_REQUEST', '没有待补正的要求');
        await answerSupplement(head, supplement.taskId, actor, at);
      }
    } catch (error) {
      // A concurrent submit of the same case won the race: answer as it did.
      const current = error instanceof ConflictError ? await getCaseHead(head.caseId) : undefined;
      if (current && isInFlight(current)) return submitted(current);
      throw error;
    }
    logger.info('case submitted', { caseId: head.caseId, attempt: head.attempt + 1 });
    return submitted(head);
  },

  'POST /v1/cases/{caseId}/uploads': async (request) => {
    const head = await ownedCase(request);
    const body = request.body(uploadBody);
    requireEditable(head);
    const round = roundOrFail(head.roundId, head.roundVersion);
    const slot = checklistFor(round, head.kind).find((item) => item.slot === body.slot);
    if (!slot) throw new UnprocessableError('UNKNOWN_SLOT', `没有“${body.slot}”这一材料项`);
    if (!(slot.accepts as readonly string[]).includes(body.contentType)) {
      throw new UnprocessableError('TYPE_NOT_ACCEPTED', `“${slot.title}”只接受：${slot.accepts.join('、')}`);
    }
    if (body.size > slot.maxBytes)
      throw new UnprocessableError('TOO_LARGE', `“${slot.title}”单个文件不超过 ${slot.maxBytes} 字节`);

    const evidenceId = randomUUID();
    const key = evidenceObjectKey({
      roundId: head.roundId,
      caseId: head.caseId,
      slot: slot.slot,
      objectId: evidenceId,
    });
    const reservedAt = nowIso();
    // The reservation is written before the upload can happen, so intake always finds it.
    await putEvidence(head.caseId, {
      evidenceId,
      slot: slot.slot,
      fileName: body.fileName,
      key,
      status: 'PENDING',
      declaredSize: body.size,
      contentType: body.contentType,
      accepts: [...slot.accepts],
      maxBytes: slot.maxBytes,
      reservedAt,
    });
    const post = await presignUpload({ key, contentType: body.contentType, maxBytes: slot.maxBytes });
    const expiresAt = new Date(Date.parse(reservedAt) + UPLOAD_EXPIRY_SECONDS * 1000).toISOString();
    return json(201, { evidenceId, url: post.url, fields: post.fields, key, expiresAt });
  },

  'GET /v1/cases/{caseId}/forms/application.docx': async (request) => {
    const { caseId } = request.params(caseParams);
    const record = await downloadableCase(request, caseId);
    const { head } = record;
    const round = getRound(head.roundId, head.roundVersion);
    if (!round) throw new NotFoundError('CASE_NOT_FOUND', '没有找到该申报');
    const [recognition, aggregates] = await Promise.all([
      getRecognition(caseId),
      record.tasks.some((task) => task.type === 'expert-review')
        ? listRoundAggregates(head.roundId, 'expert-review')
        : Promise.resolve([]),
    ]);
    const aggregate = aggregates.find((item) => item.caseId === caseId);
    const input = applicationFormInputOf({
      head,
      tasks: record.tasks,
      round,
      ...(recognition ? { recognition } : {}),
      ...(aggregate ? { expertAggregate: { total: aggregate.total, count: aggregate.count } } : {}),
    });
    const name = typeof head.form.name === 'string' ? head.form.name : undefined;
    return fileResponse(renderApplicationForm(input), {
      contentType: DOCX_TYPE,
      fileName: safeFileName(applicationFormFileName(head.kind, name)),
      fallbackName: `application-form-${head.kind}.docx`,
      headers: { 'cache-control': 'private, no-store' },
    });
  },

  'GET /v1/cases/{caseId}/rosters/{slot}/error-report': async (request) => {
    const { caseId, slot } = request.params(rosterSlotParams);
    const record = await downloadableCase(request, caseId);
    const stats = storedReport.safeParse(record.rosters[slot]);
    const report = stats.success ? stats.data.errorReport : undefined;
    if (!stats.success || !report) throw new NotFoundError('NO_ERROR_REPORT', '该花名册没有核验问题清单');
    const download = await presignErrorReportDownload(report.key, errorReportFileName(stats.data.fileName));
    return json(200, download, { 'cache-control': 'private, no-store' });
  },

  'GET /v1/cases/{caseId}/certificate.svg': async (request) => {
    const { caseId } = request.params(caseParams);
    await downloadableCase(request, caseId);
    const recognition = await getRecognition(caseId);
    if (!recognition) throw new NotFoundError('NO_CERTIFICATE', '该申报尚无认定证书');
    const key = certificateDocumentKey(recognition.roundId, recognition.certificateNo);
    // The document as issued; rendered again, identically, if writing it at certification failed.
    const year =
      getRound(recognition.roundId, recognition.roundVersion)?.year ??
      Number(recognition.roundId.slice(0, 4));
    const svg = (await getCertificateDocument(key)) ?? certificateSvgOf(recognition, year, publicBaseUrl());
    return fileResponse(svg, {
      contentType: `${CERTIFICATE_CONTENT_TYPE}; charset=utf-8`,
      fileName: `${recognition.certificateNo}-认定证书.svg`,
      fallbackName: `${recognition.certificateNo}.svg`,
      // The document is ours and has no script; a browser opening it still may not run or fetch anything.
      headers: { 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'" },
    });
  },
});
