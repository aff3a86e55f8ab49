import { z } from 'zod';
import { CERTIFICATE_NUMBER_PATTERN } from '../rules/certificate';
import { DECISIONS } from '../workflow/decisions';

/**
 * The request schemas of every `/v1` route — path parameters, query strings, bodies — in one place:
 * the handlers validate with them and `openapi.ts` publishes them, so the contract and the code
 * cannot drift. Bodies are strict (an unknown field is a 400, never silently kept).
 */

// ── path parameters ────────────────────────────────────────────────────────────────────────────────

export const roundParams = z.object({ roundId: z.string().regex(/^\d{4}$/, '年度编号为四位年份') });

export const caseParams = z.object({ caseId: z.uuid() });

export const taskParams = z.object({ taskId: z.string().min(1).max(200) });

/**
 * A certificate number as printed. Anything else is answered like an unknown number (404), so the
 * verification route tells a forger nothing about the numbering.
 */
export const certificateParams = z.object({
  certificateNo: z.string().max(40).regex(CERTIFICATE_NUMBER_PATTERN, '证书编号格式不正确'),
});

export const rosterSlotParams = caseParams.extend({
  slot: z.string().regex(/^[a-z][a-z0-9-]{0,63}$/),
});

// ── query strings ─────────────────────────────────────────────────────────────────────────────────

export const feedQuery = z.object({
  roundId: z.string().regex(/^\d{4}$/, '年度编号为四位年份'),
  /** Opaque: the `nextCursor` of a previous page; absent to start from the first entry. */
  cursor: z.string().min(1).max(200).optional(),
  /** Page size, 1–1000 (default 100). */
  limit: z
    .string()
    .regex(/^[1-9]\d{0,3}$/, '每页条数为 1–1000')
    .transform(Number)
    .pipe(z.number().int().min(1).max(1000))
    .optional(),
});

// ── bodies ────────────────────────────────────────────────────────────────────────────────────────

/** The form itself is checked against the round's 附件1/附件2 schema by the handler (every defect at once). */
const formBody = z.record(z.string(), z.unknown());

export const createCaseBody = z.strictObject({
  roundId: z.string().regex(/^\d{4}$/),
  kind: z.enum(['brand', 'base']),
  route: z.enum(['county', 'direct']),
  countyCode: z.string().optional(),
  form: formBody,
});

export const updateFormBody = z.strictObject({ form: formBody });

function isPlainFileName(name: string): boolean {
  for (const char of name) {
    if (char === '/' || char === '\\' || (char.codePointAt(0) ?? 0) < 0x20) return false;
  }
  return true;
}

export const uploadBody = z.strictObject({
  slot: z.string().regex(/^[a-z][a-z0-9-]{0,63}$/),
  // A plain file name as the applicant's computer shows it; never a path.
  fileName: z.string().trim().min(1).max(200).refine(isPlainFileName, '文件名不能包含路径或控制字符'),
  contentType: z.string().min(1).max(200),
  size: z.number().int().positive(),
});

export const completionBody = z.strictObject({
  decision: z.enum(DECISIONS),
  opinion: z.string().trim().min(1).max(2000),
  scores: z.record(z.string().max(100), z.number().finite()).optional(),
});

export const selectionBody = z.strictObject({
  caseIds: z
    .array(z.uuid())
    .min(1)
    .max(500)
    .refine((ids) => new Set(ids).size === ids.length, '同一申报不能重复列入'),
  /** Required when the list departs from the proposed ranking. */
  opinion: z.string().trim().min(1).max(2000).optional(),
});

export const objectionBody = z.strictObject({
  caseId: z.uuid(),
  name: z.string().trim().min(2).max(50),
  phone: z.string().trim().min(5).max(30),
  reason: z.string().trim().min(5).max(2000),
});
