import { z } from 'zod';
import { calendarOptionsSchema } from '#shared/calendar/calendar';

/**
 * A round (年度申报批次) as data: every threshold, year, slot, criterion and deadline the notice sets
 * for one year's call. A later notice may change any of them, so code reads them from here and never
 * hard-codes them. Every object is strict: a misspelt key in a round file is an error at load time,
 * not a silently ignored rule.
 */

export const KINDS = ['brand', 'base'] as const;
export const kindSchema = z.enum(KINDS);
export type Kind = z.infer<typeof kindSchema>;

export const TERRAINS = ['plain', 'mountain'] as const;
export type Terrain = (typeof TERRAINS)[number];

export const TASK_TYPES = [
  'county-review',
  'onsite-evaluation',
  'expert-review',
  'objection-review',
  'province-recommendation',
  'supplement',
] as const;
export type TaskType = (typeof TASK_TYPES)[number];

export const CONTENT_TYPES = {
  pdf: 'application/pdf',
  jpeg: 'image/jpeg',
  png: 'image/png',
  csv: 'text/csv',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
} as const;
export const contentTypeSchema = z.enum([
  CONTENT_TYPES.pdf,
  CONTENT_TYPES.jpeg,
  CONTENT_TYPES.png,
  CONTENT_TYPES.csv,
  CONTENT_TYPES.xlsx,
  CONTENT_TYPES.docx,
]);
export type ContentType = z.infer<typeof contentTypeSchema>;

const slug = z.string().regex(/^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/, 'lower-case words joined by hyphens');
const chineseText = z.string().trim().min(1);
const calendarDate = z.iso.date();
/** An instant written in China Standard Time, e.g. `2021-12-31T00:00:00+08:00`. */
const shanghaiInstant = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/, 'ISO 8601 with seconds and the +08:00 offset')
  .refine((s) => !Number.isNaN(Date.parse(s)), 'not a real instant');
const positiveInt = z.number().int().positive();
const MiB = 1024 * 1024;

export const countySchema = z.strictObject({
  code: z.string().regex(/^\d{6}$/, 'a 6-digit GB/T 2260 code'),
  name: chineseText,
  terrain: z.enum(TERRAINS),
});
export type County = z.infer<typeof countySchema>;

/** A county outside the city that a case may be paired with (结对子/对接), for the tie-break priority. */
export const referenceCountySchema = z.strictObject({
  name: chineseText,
  province: chineseText,
  code: z
    .string()
    .regex(/^\d{6}$/)
    .optional(),
});

export const checklistSlotSchema = z.strictObject({
  slot: slug,
  title: chineseText,
  required: z.boolean(),
  accepts: z.array(contentTypeSchema).min(1),
  maxBytes: positiveInt.max(1024 * MiB),
});
export type ChecklistSlot = z.infer<typeof checklistSlotSchema>;

export const rubricCriterionSchema = z.strictObject({
  criterionId: slug,
  title: chineseText,
  max: positiveInt,
});
export type RubricCriterion = z.infer<typeof rubricCriterionSchema>;

const yearSchema = z.number().int().min(2000).max(2100);
const formYearsSchema = z.array(yearSchema).min(1);

const perKind = <T extends z.ZodType>(schema: T) => z.strictObject({ brand: schema, base: schema });

export const thresholdsSchema = z.strictObject({
  brand: z.strictObject({
    /** People trained in the round year (品牌培训人数). */
    trainedMin: positiveInt,
    /** Share of the trained who are employed, 0–1 (培训后就业率). */
    employmentRateMin: z.number().gt(0).max(1),
    /** People sent out or helped into work in the round year (输出或带动就业人数). */
    outputMin: positiveInt,
  }),
  base: z.strictObject({
    /** People transferred out since `transferredSince` through the end of the round year. */
    transferredMin: positiveInt,
    transferredSince: calendarDate,
  }),
});
export type Thresholds = z.infer<typeof thresholdsSchema>;

export const reviewDaysSchema = z.strictObject({
  'county-review': positiveInt,
  'onsite-evaluation': positiveInt,
  'expert-review': positiveInt,
  'objection-review': positiveInt,
  'province-recommendation': positiveInt,
  supplement: positiveInt,
  /** The round-level selection of candidates (a case waiting for it shows as overdue after this). */
  selection: positiveInt,
});

function duplicates(values: readonly string[]): string[] {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const v of values) (seen.has(v) ? repeated : seen).add(v);
  return [...repeated];
}

export const roundSchema = z
  .strictObject({
    roundId: z
      .string()
      .regex(/^\d{4}(?:-[a-z0-9]+)?$/, 'the year, optionally with a batch suffix: 2021, 2021-b'),
    /** Bumped whenever a published round's data changes, so cases can record which rules they met. */
    version: positiveInt,
    year: yearSchema,
    title: chineseText,
    kinds: z.array(kindSchema).min(1),
    thresholds: thresholdsSchema,
    deadline: shanghaiInstant,
    publicityWorkingDays: positiveInt,
    counties: z.array(countySchema).min(1),
    keyAssistanceCounties: z.array(referenceCountySchema),
    povertyAlleviatedCounties: z.array(referenceCountySchema),
    checklist: perKind(z.array(checklistSlotSchema).min(1)),
    /** The years whose counts the form asks for (附件1: training and output; 附件2: output). */
    formYears: perKind(formYearsSchema),
    rubric: perKind(z.array(rubricCriterionSchema).min(1)),
    panel: z.array(slug).min(1),
    /** One-time reward per recognised case (一次性奖励), in yuan. Configuration: the notice says only "按规定". */
    rewardYuan: perKind(z.number().int().nonnegative()),
    /** Accept credit codes with a wrong check character (with a warning) for units holding legacy codes. */
    creditCodeTolerant: z.boolean(),
    /**
     * The round's own working-day adjustments on top of the State Council schedule: extra holidays or
     * make-up days (`overrides`), and schedules for years the data package does not have yet (`extraYears`).
     */
    calendar: calendarOptionsSchema,
    /** The issuing city's code at the head of every certificate number, e.g. `LF` (临汾) → `LF-2021-PP-001`. */
    certificatePrefix: z.string().regex(/^[A-Z]{2,4}$/),
    /**
     * Territorial rule (§三(二)1): only city-level units apply directly (市直). When set, a `direct` case
     * from a unit registered in one of the round's counties (the division code inside its credit code)
     * must go through that county instead.
     */
    directRouteForCityUnitsOnly: z.boolean(),
    /** Working days allowed for each task type before it is overdue. */
    reviewDays: reviewDaysSchema,
    /** Flag an expert review whose total scores spread (max − min) by more than this many points. */
    scoreSpreadFlag: z.number().positive().max(100),
    /**
     * Issue 13, item 3: how many people a declared figure of the round year may exceed the
     * roster-verified one by before submission stops. Absent = 0: the notice asks for 真实数据, so
     * any declared person the roster does not bear out is a defect.
     */
    declaredTolerance: z.number().int().nonnegative().optional(),
  })
  .superRefine((round, ctx) => {
    const issue = (path: PropertyKey[], message: string) => ctx.addIssue({ code: 'custom', path, message });

    for (const kind of duplicates(round.kinds)) issue(['kinds'], `kind ${kind} listed twice`);
    for (const code of duplicates(round.counties.map((c) => c.code)))
      issue(['counties'], `county ${code} twice`);
    for (const id of duplicates(round.panel)) issue(['panel'], `expert ${id} listed twice`);

    for (const kind of KINDS) {
      const slots = round.checklist[kind];
      for (const slot of duplicates(slots.map((s) => s.slot)))
        issue(['checklist', kind], `slot ${slot} twice`);
      if (!slots.some((s) => s.required)) issue(['checklist', kind], 'at least one slot must be required');

      const rubric = round.rubric[kind];
      for (const id of duplicates(rubric.map((c) => c.criterionId)))
        issue(['rubric', kind], `criterion ${id} twice`);
      const total = rubric.reduce((sum, c) => sum + c.max, 0);
      if (total !== 100) issue(['rubric', kind], `criteria must total 100 points, not ${total}`);

      const years = round.formYears[kind];
      if (years.some((y, i) => i > 0 && y <= (years[i - 1] ?? y))) {
        issue(['formYears', kind], 'years must be strictly ascending');
      }
      if (years.at(-1) !== round.year)
        issue(['formYears', kind], `the last year must be the round year ${round.year}`);
    }

    if (Number(round.thresholds.base.transferredSince.slice(0, 4)) > round.year) {
      issue(['thresholds', 'base', 'transferredSince'], 'must not start after the round year');
    }
  });

export type Round = z.infer<typeof roundSchema>;
/** What a round file contains before validation. */
export type RoundInput = z.input<typeof roundSchema>;
