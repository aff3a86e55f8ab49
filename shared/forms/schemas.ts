import { z } from 'zod';
import type { ErrorDetail } from '#shared/errors';
import { toDefects } from '#shared/forms/defects';
import {
  completePairingSchema,
  creditCode,
  mobile,
  officePhone,
  pairingSchema,
  type Requirement,
  requirePresence,
  text,
  whenParsedObject,
  yearCounts,
} from '#shared/forms/fields';
import { validateCreditCode } from '#shared/ids/credit-code';
import type { Kind, Round } from '#shared/rounds/schema';

/**
 * The application forms (API.md "Forms"): 附件1 for a brand, 附件2 for a base. The years asked for follow
 * `round.formYears`. Two variants each:
 * - complete (submission): every field but `pairing` present; a missing field is a `REQUIRED` defect
 *   reported together with every other defect, not instead of them;
 * - draft (saving work in progress): any field may be missing, but what is present must be valid.
 * Both are strict: an unknown field is an `UNKNOWN_FIELD` defect, never silently dropped.
 */

/** Character limits; the notice sets only the introduction's (≤ 2000 字). The others are configuration. */
export const FORM_LIMITS = {
  name: 50,
  ownerUnit: 100,
  address: 200,
  leader: 20,
  introduction: 2000,
} as const;

interface KindLabels {
  name: string;
  output: string;
  introduction: string;
}

const LABELS: Record<Kind, KindLabels> = {
  brand: { name: '品牌名称', output: '品牌劳务输出人数', introduction: '品牌情况介绍' },
  base: { name: '基地名称', output: '劳务输出人数', introduction: '协作基地概况' },
};
const TRAINED_LABEL = '品牌培训人数';

function identityShape(round: Round, kind: Kind) {
  return {
    name: text(LABELS[kind].name, FORM_LIMITS.name),
    ownerUnit: text('所属单位', FORM_LIMITS.ownerUnit),
    ownerCreditCode: creditCode(round.creditCodeTolerant),
    address: text('单位地址', FORM_LIMITS.address),
    leader: text('负责人', FORM_LIMITS.leader),
    officePhone: officePhone(),
    mobile: mobile(),
  };
}

/**
 * The draft shape lets years and pairing fields be missing (the complete schema then reports them as
 * REQUIRED); the complete shape has every field and types the submitted form.
 */
function brandShape<P extends z.ZodType>(round: Round, partialYears: boolean, pairing: P) {
  const years = round.formYears.brand;
  return {
    ...identityShape(round, 'brand'),
    trained: yearCounts(TRAINED_LABEL, years, partialYears),
    output: yearCounts(LABELS.brand.output, years, partialYears),
    introduction: text(LABELS.brand.introduction, FORM_LIMITS.introduction),
    pairing: pairing.optional(),
  };
}

function baseShape<P extends z.ZodType>(round: Round, partialYears: boolean, pairing: P) {
  return {
    ...identityShape(round, 'base'),
    output: yearCounts(LABELS.base.output, round.formYears.base, partialYears),
    introduction: text(LABELS.base.introduction, FORM_LIMITS.introduction),
    pairing: pairing.optional(),
  };
}

const NOT_AN_OBJECT = '申报表应为对象';

function requirements(round: Round, kind: Kind): Record<string, Requirement> {
  const labels = LABELS[kind];
  const common = {
    name: { label: labels.name },
    ownerUnit: { label: '所属单位' },
    ownerCreditCode: { label: '统一社会信用代码' },
    address: { label: '单位地址' },
    leader: { label: '负责人' },
    officePhone: { label: '办公电话' },
    mobile: { label: '手机' },
    introduction: { label: labels.introduction },
  };
  return kind === 'brand'
    ? {
        ...common,
        trained: { label: TRAINED_LABEL, years: round.formYears.brand },
        output: { label: labels.output, years: round.formYears.brand },
      }
    : { ...common, output: { label: labels.output, years: round.formYears.base } };
}

function buildBrand(round: Round) {
  const complete = z.strictObject(brandShape(round, false, completePairingSchema), { error: NOT_AN_OBJECT });
  const draft = z.strictObject(brandShape(round, true, pairingSchema), { error: NOT_AN_OBJECT }).partial();
  const submit = draft
    .superRefine(requirePresence(requirements(round, 'brand')), whenParsedObject)
    .pipe(complete);
  return { draft, submit };
}

function buildBase(round: Round) {
  const complete = z.strictObject(baseShape(round, false, completePairingSchema), { error: NOT_AN_OBJECT });
  const draft = z.strictObject(baseShape(round, true, pairingSchema), { error: NOT_AN_OBJECT }).partial();
  const submit = draft
    .superRefine(requirePresence(requirements(round, 'base')), whenParsedObject)
    .pipe(complete);
  return { draft, submit };
}

// Schemas are built once per round: building them per request would be wasted work on the hot API path.
const brandCache = new WeakMap<Round, ReturnType<typeof buildBrand>>();
const baseCache = new WeakMap<Round, ReturnType<typeof buildBase>>();

function brandSchemas(round: Round): ReturnType<typeof buildBrand> {
  let schemas = brandCache.get(round);
  if (!schemas) {
    schemas = buildBrand(round);
    brandCache.set(round, schemas);
  }
  return schemas;
}

function baseSchemas(round: Round): ReturnType<typeof buildBase> {
  let schemas = baseCache.get(round);
  if (!schemas) {
    schemas = buildBase(round);
    baseCache.set(round, schemas);
  }
  return schemas;
}

/** The complete brand form (附件1), required at submission. */
export function brandFormSchema(round: Round) {
  return brandSchemas(round).submit;
}

/** The complete base form (附件2), required at submission. */
export function baseFormSchema(round: Round) {
  return baseSchemas(round).submit;
}

/** A draft of either form: every field optional, whatever is present valid, unknown fields rejected. */
export function draftFormSchema(round: Round, kind: Kind) {
  return kind === 'brand' ? brandSchemas(round).draft : baseSchemas(round).draft;
}

export function formSchemaFor(round: Round, kind: Kind) {
  return kind === 'brand' ? brandFormSchema(round) : baseFormSchema(round);
}

export type BrandForm = z.output<ReturnType<typeof brandFormSchema>>;
export type BaseForm = z.output<ReturnType<typeof baseFormSchema>>;
export type Form = BrandForm | BaseForm;
export type DraftForm = z.output<ReturnType<typeof draftFormSchema>>;

/**
 * Things a person should check that do not block the form: today only a credit code accepted in a
 * tolerant round despite a wrong check character.
 */
export function formWarnings(
  round: Round,
  form: { ownerCreditCode?: string | undefined },
  prefix = 'form',
): ErrorDetail[] {
  if (!round.creditCodeTolerant || form.ownerCreditCode === undefined) return [];
  const result = validateCreditCode(form.ownerCreditCode, { tolerant: true });
  if (!result.ok || !result.warnings) return [];
  return result.warnings.map((w) => ({
    path: `${prefix}.ownerCreditCode`,
    code: w.code,
    message: w.message,
  }));
}

export type FormParseResult<T> =
  | { ok: true; form: T; warnings: ErrorDetail[] }
  | { ok: false; defects: ErrorDetail[] };

/** Validates a complete form for submission, with every defect at once as `form.*` details. */
export function parseForm(round: Round, kind: Kind, input: unknown): FormParseResult<Form> {
  const parsed = formSchemaFor(round, kind).safeParse(input);
  if (!parsed.success) return { ok: false, defects: toDefects(parsed.error) };
  return { ok: true, form: parsed.data, warnings: formWarnings(round, parsed.data) };
}

/** Validates a draft form (saving work in progress). */
export function parseDraftForm(round: Round, kind: Kind, input: unknown): FormParseResult<DraftForm> {
  const parsed = draftFormSchema(round, kind).safeParse(input);
  if (!parsed.success) return { ok: false, defects: toDefects(parsed.error) };
  return { ok: true, form: parsed.data, warnings: formWarnings(round, parsed.data) };
}
