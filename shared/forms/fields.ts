import { z } from 'zod';
import { validateCreditCode } from '#shared/ids/credit-code';
import { validateMobile } from '#shared/ids/mobile';
import { validateOfficePhone } from '#shared/ids/office-phone';
import { countCharacters } from '#shared/ids/text';

/**
 * Field schemas of the application forms. Every issue they raise carries a Chinese message and, for
 * custom checks, a stable machine code in `params.code`, which `toDefects` turns into `{ path, code,
 * message }`. Lengths count code points (countCharacters), the unit of the notice's "≤ 2000 字";
 * zod's own `.max()` would count UTF-16 units and let a text with rare characters fail early.
 */

/** Stable defect codes the form schemas produce (besides the identifier validators' own codes). */
export const FORM_DEFECT_CODES = [
  'REQUIRED',
  'UNKNOWN_FIELD',
  'WRONG_TYPE',
  'EMPTY',
  'TOO_LONG',
  'NOT_INTEGER',
  'NEGATIVE',
  'TOO_LARGE',
  'INVALID_VALUE',
] as const;
export type FormDefectCode = (typeof FORM_DEFECT_CODES)[number];

/** Far above any county's yearly output; guards against a typo or an ID pasted into a count. */
export const MAX_COUNT = 10_000_000;

function addIssue(ctx: z.RefinementCtx, code: string, message: string): void {
  ctx.addIssue({ code: 'custom', message, params: { code } });
}

/** Trimmed text that must not be empty and has at most `maxChars` characters (code points). */
export function text(label: string, maxChars: number) {
  return z
    .string({ error: `${label}应为文本` })
    .trim()
    .superRefine((value, ctx) => {
      if (value.length === 0) addIssue(ctx, 'EMPTY', `${label}不能为空`);
      else {
        const count = countCharacters(value);
        if (count > maxChars) addIssue(ctx, 'TOO_LONG', `${label}不能超过${maxChars}字，当前为${count}字`);
      }
    });
}

/** A count of people: a non-negative integer. */
export function count(label: string) {
  return z.number({ error: `${label}应为数字` }).superRefine((value, ctx) => {
    if (!Number.isInteger(value)) addIssue(ctx, 'NOT_INTEGER', `${label}应为整数`);
    else if (value < 0) addIssue(ctx, 'NEGATIVE', `${label}不能为负数`);
    else if (value > MAX_COUNT) addIssue(ctx, 'TOO_LARGE', `${label}超出合理范围，请核对`);
  });
}

/** Counts keyed by year (`{ "2020": n, "2021": n }`); unknown years are rejected. */
export function yearCounts(label: string, years: readonly number[], partial: boolean) {
  const shape: Record<string, ReturnType<typeof count> | z.ZodOptional<ReturnType<typeof count>>> = {};
  for (const year of years) {
    const field = count(`${year}年${label}`);
    shape[String(year)] = partial ? field.optional() : field;
  }
  return z.strictObject(shape, { error: `${label}应按年份填写，如{"${years[0]}": 0}` });
}

/** A result of the identifier validators, turned into the normalised value or an issue. */
type Validated = { ok: true; value: string } | { ok: false; code: string; message: string };

function identifier(label: string, validate: (input: string) => Validated) {
  return z.string({ error: `${label}应为文本` }).transform((input, ctx) => {
    const result = validate(input);
    if (result.ok) return result.value;
    addIssue(ctx, result.code, result.message);
    return z.NEVER;
  });
}

/** 统一社会信用代码, normalised; in a tolerant round a wrong check character passes (see formWarnings). */
export function creditCode(tolerant: boolean) {
  return identifier('统一社会信用代码', (input) => validateCreditCode(input, { tolerant }));
}

export function officePhone() {
  return identifier('办公电话', validateOfficePhone);
}

export function mobile() {
  return identifier('手机', validateMobile);
}

/** Field → label of the fields a complete form must have, and which of them are per-year counts. */
export interface Requirement {
  label: string;
  years?: readonly number[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Adds a `REQUIRED` issue for every required field (and year) missing from a parsed draft. */
export function requirePresence(required: Record<string, Requirement>) {
  return (form: Record<string, unknown>, ctx: z.RefinementCtx) => {
    for (const [field, { label, years }] of Object.entries(required)) {
      const value = form[field];
      if (value === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message: `请填写${label}`,
          params: { code: 'REQUIRED' },
        });
      } else if (years && isRecord(value)) {
        for (const year of years) {
          if (value[String(year)] === undefined) {
            ctx.addIssue({
              code: 'custom',
              path: [field, String(year)],
              message: `请填写${year}年${label}`,
              params: { code: 'REQUIRED' },
            });
          }
        }
      }
    }
  };
}

/** Run the presence check even when present fields have defects: every defect is reported at once. */
export const whenParsedObject = { when: (payload: { value: unknown }) => isRecord(payload.value) };

export const PAIRING_STATUSES = ['poverty-alleviated', 'key-assistance'] as const;
export type PairingStatus = (typeof PAIRING_STATUSES)[number];

const pairingFields = {
  county: text('结对县名称', 50),
  province: text('结对县所在省份', 20),
  status: z.enum(PAIRING_STATUSES, {
    error: '结对县类型应为脱贫县（poverty-alleviated）或重点帮扶县（key-assistance）',
  }),
};
const PAIRING_NOT_AN_OBJECT = '结对情况应为对象，含county、province、status';

/**
 * 结对子/对接: a partnership with a poverty-alleviated (脱贫县) or key assistance (重点帮扶县) county. When
 * present, all three fields are required; a missing one is a REQUIRED defect like a form field.
 */
export const pairingSchema = z
  .strictObject(pairingFields, { error: PAIRING_NOT_AN_OBJECT })
  .partial()
  .superRefine(
    requirePresence({
      county: { label: '结对县名称' },
      province: { label: '结对县所在省份' },
      status: { label: '结对县类型' },
    }),
    whenParsedObject,
  )
  .pipe(z.strictObject(pairingFields, { error: PAIRING_NOT_AN_OBJECT }));

/** The pairing as it is after `pairingSchema`: every field present. Types the complete form. */
export const completePairingSchema = z.strictObject(pairingFields, { error: PAIRING_NOT_AN_OBJECT });
export type Pairing = z.infer<typeof pairingSchema>;
