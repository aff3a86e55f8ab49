import { z } from 'zod';
import { CASE_STATUSES } from '../cases/model';
import { FEED_FORMATS } from '../feed/formats';
import { feedPageSchema } from '../feed/schema';
import { draftFormSchema } from '../forms/schemas';
import { getRound } from '../rounds/index';
import { KINDS, TERRAINS } from '../rounds/schema';
import { DECISIONS } from '../workflow/decisions';
import { STAFF_TASK_TYPES } from '../workflow/tasks';
import {
  caseParams,
  certificateParams,
  completionBody,
  createCaseBody,
  feedQuery,
  objectionBody,
  rosterSlotParams,
  roundParams,
  selectionBody,
  taskParams,
  updateFormBody,
  uploadBody,
} from './requests';
import type { RouteKey } from './routes';

/**
 * The `/v1` contract as data: for every route of `routes.ts`, who may call it, the request schemas the
 * handler validates with (imported, never restated) and the responses. `openapi.ts` turns it into
 * `docs/openapi.json`. The response schemas describe what the handlers answer; the feed's is also the
 * schema the feed itself is built through.
 */

// ── shared shapes ─────────────────────────────────────────────────────────────────────────────────

const isoInstant = z.iso.datetime({ offset: true });

export const errorDetailSchema = z
  .strictObject({ path: z.string(), code: z.string(), message: z.string() })
  .meta({ id: 'ErrorDetail' });

export const errorBodySchema = z
  .strictObject({
    error: z.strictObject({
      code: z.string().describe('Stable machine-readable code, e.g. DEFECTS, CASE_NOT_FOUND, INVALID_CURSOR'),
      message: z.string().describe('Chinese, for people'),
      details: z.array(errorDetailSchema).optional(),
    }),
  })
  .meta({
    id: 'Error',
    description:
      'Every error (API.md): 400 malformed, 401, 403, 404, 409 version or state conflict, 422 well-formed but not acceptable, 429.',
  });

const kind = z.enum(KINDS);
const caseStatus = z.enum(CASE_STATUSES);

const checklistSlot = z
  .strictObject({
    slot: z.string(),
    title: z.string(),
    required: z.boolean(),
    accepts: z.array(z.string()),
    maxBytes: z.number().int(),
  })
  .meta({ id: 'ChecklistSlot' });

const perKind = <T extends z.ZodType>(schema: T) => z.strictObject({ brand: schema, base: schema });

const roundView = z
  .looseObject({
    roundId: z.string(),
    title: z.string(),
    kinds: z.array(kind),
    thresholds: perKind(z.record(z.string(), z.unknown())),
    deadline: isoInstant,
    publicityWorkingDays: z.number().int(),
    counties: z.array(
      z
        .strictObject({ code: z.string(), name: z.string(), terrain: z.enum(TERRAINS) })
        .meta({ id: 'County' }),
    ),
    formYears: perKind(z.array(z.number().int())),
    checklist: perKind(z.array(checklistSlot)),
    rubric: perKind(z.array(z.strictObject({ criterionId: z.string(), title: z.string(), max: z.number() }))),
    panel: z.array(z.string()).describe('Expert ids only'),
  })
  .meta({ id: 'Round' });

const evidenceView = z.looseObject({
  evidenceId: z.string(),
  slot: z.string(),
  fileName: z.string(),
  status: z.enum(['PENDING', 'ACCEPTED', 'REJECTED']),
  reason: z.string().optional(),
  reasonCode: z.string().optional(),
  sha256: z.string().optional(),
  size: z.number().int().optional(),
  supersededBy: z.string().optional(),
  progress: z
    .strictObject({ rowsRead: z.number().int(), percent: z.number().optional(), at: isoInstant })
    .optional()
    .describe('While a roster is being verified (extension)'),
});

const timelineEntry = z.looseObject({
  at: isoInstant,
  status: caseStatus,
  from: caseStatus.optional().describe('Extension: the status before'),
  actor: z.string(),
  role: z.string().optional().describe('Extension: the actor’s role (audit trail)'),
  action: z.string().optional().describe('Extension: what happened (audit trail)'),
  note: z.string().optional(),
});

const caseView = z
  .looseObject({
    caseId: z.uuid(),
    roundId: z.string(),
    kind,
    route: z.enum(['county', 'direct']),
    countyCode: z.string().nullable(),
    status: caseStatus,
    version: z.number().int(),
    form: z.record(z.string(), z.unknown()),
    evidence: z.array(evidenceView),
    rosters: z.record(z.string(), z.record(z.string(), z.unknown())),
    timeline: z.array(timelineEntry),
  })
  .meta({ id: 'Case', description: 'Experts get the reviewer’s view instead: no mobile, no roster lines.' });

const taskSummary = z.strictObject({
  taskId: z.string(),
  caseId: z.uuid(),
  type: z.enum(STAFF_TASK_TYPES),
  createdAt: isoInstant,
  dueAt: isoInstant,
  overdue: z.boolean().describe('Extension'),
});

const countyRecommendation = z.strictObject({
  code: z.string(),
  name: z.string(),
  terrain: z.enum(TERRAINS),
  recommended: z.number().int(),
  floor: z.number().int(),
  target: z.number().int(),
  meetsFloor: z.boolean(),
  meetsTarget: z.boolean(),
});

const publicityItem = z.strictObject({
  caseId: z.uuid(),
  kind,
  name: z.string(),
  ownerUnit: z.string(),
  countyName: z.string(),
});

export const certificateVerificationSchema = z
  .strictObject({
    certificateNo: z.string(),
    kind,
    name: z.string(),
    ownerUnit: z.string(),
    roundId: z.string(),
    certifiedAt: isoInstant,
    valid: z.boolean().describe('false once the recognition was revoked'),
    revokedAt: isoInstant.optional().describe('Extension: when a revoked certificate was revoked'),
  })
  .meta({ id: 'CertificateVerification' });

export const downloadLinkSchema = z
  .strictObject({ url: z.url(), expiresAt: isoInstant })
  .meta({ id: 'DownloadLink', description: 'A presigned GET, valid for five minutes.' });

/** The round's forms as the API accepts them (drafts: every field optional; years of round 2021). */
let forms: z.ZodType | undefined;
function formDocs(): z.ZodType {
  if (forms) return forms;
  const round = getRound('2021');
  if (!round) throw new Error('round 2021 is not configured');
  forms = z
    .union([
      draftFormSchema(round, 'brand').meta({ id: 'BrandForm', description: '附件1 (round 2021 years)' }),
      draftFormSchema(round, 'base').meta({ id: 'BaseForm', description: '附件2 (round 2021 years)' }),
    ])
    .describe(
      'The form of the case’s kind. Years follow the round; at submission every field but `pairing` is required (422 DEFECTS lists what is missing).',
    );
  return forms;
}

// ── the routes ────────────────────────────────────────────────────────────────────────────────────

export interface ResponseContract {
  description: string;
  /** JSON body. */
  schema?: z.ZodType;
  /** Non-JSON bodies: media type → description. */
  files?: Record<string, string>;
  headers?: Record<string, string>;
}

export interface RouteContract {
  operationId: string;
  summary: string;
  description?: string;
  /** Who may call it (API.md "who"); `public` routes carry no token. */
  who: string;
  tag: string;
  /** Added by the team beyond API.md (`docs/api-extensions.md`). */
  extension?: boolean;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  headers?: { name: string; required?: boolean; description: string }[];
  responses: Record<number, ResponseContract>;
  /** Error statuses this route may answer, each with the error shape. */
  errors: number[];
}

const ok = (description: string, schema?: z.ZodType): ResponseContract => ({
  description,
  ...(schema ? { schema } : {}),
});

export function routeContracts(): Record<RouteKey, RouteContract> {
  const form = formDocs();
  return {
    'GET /v1/rounds/{roundId}': {
      operationId: 'getRound',
      summary: 'The round: kinds, thresholds, deadline, counties, checklist, rubric, panel',
      who: 'public',
      tag: 'rounds',
      params: roundParams,
      responses: { 200: ok('The round', roundView) },
      errors: [400, 404],
    },
    'POST /v1/cases': {
      operationId: 'createCase',
      summary: 'Create a case (DRAFT)',
      who: 'applicant',
      tag: 'cases',
      body: createCaseBody.extend({ form }),
      responses: {
        201: ok(
          'Created',
          z.strictObject({
            caseId: z.uuid(),
            status: z.literal('DRAFT'),
            version: z.number().int(),
            checklist: z.array(checklistSlot),
            warnings: z.array(errorDetailSchema).describe('Extension: things to check that do not block'),
          }),
        ),
      },
      errors: [400, 401, 403, 422],
    },
    'GET /v1/cases/{caseId}': {
      operationId: 'getCase',
      summary: 'A case with its evidence, roster stats and timeline',
      who: 'owner applicant; county staff of its county, city staff, assigned experts once submitted',
      tag: 'cases',
      params: caseParams,
      responses: { 200: { ...ok('The case', caseView), headers: { etag: 'The case version, quoted' } } },
      errors: [400, 401, 404],
    },
    'PUT /v1/cases/{caseId}/form': {
      operationId: 'updateForm',
      summary: 'Replace the form (optimistic locking)',
      who: 'owner applicant, while DRAFT or SUPPLEMENT_REQUESTED',
      tag: 'cases',
      params: caseParams,
      headers: [{ name: 'If-Match', required: true, description: 'The version the client saw' }],
      body: updateFormBody.extend({ form }),
      responses: {
        200: ok(
          'The new version',
          z.strictObject({
            caseId: z.uuid(),
            version: z.number().int(),
            warnings: z.array(errorDetailSchema),
          }),
        ),
      },
      errors: [400, 401, 403, 404, 409],
    },
    'POST /v1/cases/{caseId}/uploads': {
      operationId: 'reserveUpload',
      summary: 'A presigned POST for one evidence file',
      who: 'owner applicant, while the case is editable',
      tag: 'cases',
      params: caseParams,
      body: uploadBody,
      responses: {
        201: ok(
          'Post `fields` + `file` as multipart to `url` within five minutes',
          z.strictObject({
            evidenceId: z.uuid(),
            url: z.url(),
            fields: z.record(z.string(), z.string()),
            key: z.string(),
            expiresAt: isoInstant,
          }),
        ),
      },
      errors: [400, 401, 403, 404, 409, 422],
    },
    'POST /v1/cases/{caseId}/submit': {
      operationId: 'submitCase',
      summary: 'Submit (or resubmit after a supplement request)',
      description:
        '422 DEFECTS lists every defect at once: missing slots, rejected evidence, form errors, threshold shortfalls found so far, deadline passed.',
      who: 'owner applicant',
      tag: 'cases',
      params: caseParams,
      responses: { 202: ok('Submitted', z.strictObject({ caseId: z.uuid(), status: caseStatus })) },
      errors: [401, 403, 404, 409, 422],
    },
    'GET /v1/cases/{caseId}/forms/application.docx': {
      operationId: 'getApplicationForm',
      summary: 'The official form (附件1 or 附件2) as DOCX, opinions filled once recorded',
      description:
        'Laid out like the notice’s table; the county, expert panel and city opinion boxes carry the recorded opinions, signers and dates once they exist. `Content-Disposition` names the file in Chinese (RFC 5987).',
      who: 'owner applicant; county staff of its county, city staff (experts: 404)',
      tag: 'cases',
      extension: true,
      params: caseParams,
      responses: {
        200: {
          description: 'The DOCX',
          files: {
            'application/vnd.openxmlformats-officedocument.wordprocessingml.document': '附件1/附件2',
          },
          headers: { 'content-disposition': 'attachment; filename*=UTF-8’’…' },
        },
      },
      errors: [400, 401, 404],
    },
    'GET /v1/cases/{caseId}/rosters/{slot}/error-report': {
      operationId: 'getRosterErrorReport',
      summary: 'Download link of a roster’s full error report (CSV, IDs masked)',
      who: 'owner applicant; county staff of its county, city staff (experts: 404)',
      tag: 'cases',
      extension: true,
      params: rosterSlotParams,
      responses: { 200: ok('A presigned GET of the report', downloadLinkSchema) },
      errors: [400, 401, 404],
    },
    'GET /v1/cases/{caseId}/certificate.svg': {
      operationId: 'getCertificateDocument',
      summary: 'The certificate document, with the QR code of its verification URL',
      who: 'owner applicant; county staff of its county, city staff (experts: 404)',
      tag: 'certificates',
      extension: true,
      params: caseParams,
      responses: { 200: { description: 'The certificate', files: { 'image/svg+xml': 'SVG, A4 landscape' } } },
      errors: [400, 401, 404],
    },
    'GET /v1/tasks': {
      operationId: 'listTasks',
      summary: 'Open tasks in the caller’s scope',
      who: 'county, city, expert',
      tag: 'tasks',
      responses: {
        200: ok('Open tasks, earliest due first', z.strictObject({ items: z.array(taskSummary) })),
      },
      errors: [401, 403],
    },
    'GET /v1/tasks/{taskId}': {
      operationId: 'getTask',
      summary: 'One task with the case as a reviewer sees it',
      who: 'the task’s assignee scope',
      tag: 'tasks',
      extension: true,
      params: taskParams,
      responses: {
        200: ok(
          'The task',
          taskSummary.omit({ overdue: true }).extend({
            state: z.enum(['OPEN', 'DONE', 'EXPIRED']),
            overdue: z.boolean(),
            decisions: z.array(z.enum(DECISIONS)),
            rubric: z.array(z.looseObject({ criterionId: z.string(), max: z.number() })).optional(),
            objections: z
              .array(z.looseObject({ objectionId: z.string(), phoneMasked: z.string() }))
              .optional(),
            case: z.record(z.string(), z.unknown()),
          }),
        ),
      },
      errors: [400, 401, 403, 404],
    },
    'POST /v1/tasks/{taskId}/complete': {
      operationId: 'completeTask',
      summary: 'Decide a task (approve / return / reject) with an opinion and, where scored, scores',
      who: 'the task’s assignee scope',
      tag: 'tasks',
      params: taskParams,
      body: completionBody,
      responses: {
        200: ok(
          'Completed',
          z.strictObject({
            taskId: z.string(),
            caseId: z.uuid(),
            type: z.enum(STAFF_TASK_TYPES),
            decision: z.enum(DECISIONS),
            completedAt: isoInstant,
            total: z.number().optional(),
          }),
        ),
      },
      errors: [400, 401, 403, 404, 409, 422],
    },
    'GET /v1/rounds/{roundId}/dashboard': {
      operationId: 'getDashboard',
      summary: 'Cases by status and each county’s recommendations against its floor',
      who: 'city',
      tag: 'rounds',
      params: roundParams,
      responses: {
        200: ok(
          'The dashboard',
          z.strictObject({
            roundId: z.string(),
            byStatus: z.record(z.string(), z.number().int()),
            counties: z.array(countyRecommendation),
            shortfalls: z.array(z.string()).describe('Extension: plain counties below their floor'),
            warnings: z.array(z.string()).describe('Extension: mountain counties below their target'),
          }),
        ),
      },
      errors: [400, 401, 403, 404],
    },
    'GET /v1/rounds/{roundId}/ranking': {
      operationId: 'getRanking',
      summary: 'The proposed ranking of the cases awaiting selection',
      who: 'city',
      tag: 'rounds',
      extension: true,
      params: roundParams,
      responses: {
        200: ok(
          'Ranked per kind',
          z.strictObject({
            roundId: z.string(),
            items: z.array(
              z.looseObject({ caseId: z.uuid(), kind, rank: z.number().int(), total: z.number().nullable() }),
            ),
          }),
        ),
      },
      errors: [400, 401, 403, 404],
    },
    'POST /v1/rounds/{roundId}/selection': {
      operationId: 'selectCandidates',
      summary: 'Select the round’s candidates; the others are not selected',
      description:
        '`opinion` (extension) is required when the list departs from the proposed ranking (422 OPINION_REQUIRED).',
      who: 'city',
      tag: 'rounds',
      params: roundParams,
      body: selectionBody,
      responses: {
        200: ok(
          'The selection and its publicity window',
          z.looseObject({
            roundId: z.string(),
            publicityStartsAt: isoInstant,
            publicityEndsAt: isoInstant,
            cases: z.array(
              z.looseObject({ caseId: z.uuid(), outcome: z.enum(['selected', 'not-selected']) }),
            ),
          }),
        ),
      },
      errors: [400, 401, 403, 404, 409, 422],
    },
    'GET /v1/rounds/{roundId}/publicity': {
      operationId: 'getPublicity',
      summary: 'The candidate list under publicity',
      who: 'public',
      tag: 'rounds',
      params: roundParams,
      responses: {
        200: ok(
          'The list',
          z.strictObject({
            roundId: z.string(),
            publicityStartsAt: isoInstant,
            publicityEndsAt: isoInstant,
            open: z.boolean(),
            items: z.array(publicityItem),
          }),
        ),
      },
      errors: [400, 404],
    },
    'POST /v1/rounds/{roundId}/objections': {
      operationId: 'raiseObjection',
      summary: 'Raise an objection (real name and phone) inside the publicity window',
      who: 'public',
      tag: 'rounds',
      params: roundParams,
      body: objectionBody,
      responses: {
        201: ok('Received', z.strictObject({ objectionId: z.uuid(), receivedAt: isoInstant })),
      },
      errors: [400, 403, 404, 429],
    },
    'GET /v1/certificates/{certificateNo}': {
      operationId: 'verifyCertificate',
      summary: 'Verify a certificate',
      description:
        'An unknown, forged or malformed number is 404 (nothing to show); a revoked certificate answers 200 with `valid: false`.',
      who: 'public',
      tag: 'certificates',
      params: certificateParams,
      responses: { 200: ok('The certificate as issued', certificateVerificationSchema) },
      errors: [404],
    },
    'GET /v1/feed/certified': {
      operationId: 'getCertifiedFeed',
      summary: 'The round’s certified feed, by cursor',
      description:
        'Entries in sequence, each a recognition (`certified`), a province decision or a revocation. Pull with `nextCursor` until `hasMore` is false; keep the last `nextCursor` to pull only what is appended later. `Accept: text/csv` (UTF-8 with BOM, RFC 4180, formulas neutralised) or the XLSX type (cells as strings) get the same page as a file, the cursor in `X-Next-Cursor`/`X-Has-More`. Every answer has an ETag; `If-None-Match` of an unchanged page gets 304.',
      who: 'province',
      tag: 'feed',
      query: feedQuery,
      headers: [
        { name: 'Accept', description: Object.values(FEED_FORMATS).join(', ') },
        { name: 'If-None-Match', description: 'The ETag of a previous pull of the same page and format' },
      ],
      responses: {
        200: {
          description: 'One page',
          schema: feedPageSchema,
          files: {
            'text/csv': 'The page’s items as CSV (UTF-8 with BOM)',
            [FEED_FORMATS.xlsx]: 'The page’s items as XLSX (cells as strings)',
          },
          headers: {
            etag: 'Strong tag of the page and format',
            'x-next-cursor': 'Same as `nextCursor`',
            'x-has-more': 'Same as `hasMore`',
          },
        },
        304: { description: 'Not modified since the ETag given in If-None-Match' },
      },
      errors: [400, 401, 403, 404],
    },
  };
}
