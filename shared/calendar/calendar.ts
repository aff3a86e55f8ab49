import { createHash } from 'node:crypto';
import bundledSchedule from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import bundledPackage from 'chinese-days/package.json' with { type: 'json' };
import { z } from 'zod';
import type { ErrorDetail } from '#shared/errors';
import { CalendarYearNotLoadedError, InvalidCalendarDataError } from './errors';
import { type CivilDay, isCivilDay, isWeekend, yearOf } from './shanghai-time';

/**
 * A working-day calendar for mainland China: Monday–Friday are working days except public holidays
 * (法定节假日 and the weekdays given off in lieu, 调休放假), and some weekends are make-up working days
 * (调休上班). Only days whose year's official schedule is loaded can be answered.
 */
export interface WorkingDayCalendar {
  /** Identifies the data behind every answer; store it next to each derived date. */
  readonly version: string;
  /** Years whose official schedule is loaded, ascending. */
  readonly years: readonly number[];
  /** Whether the calendar can answer for `day` (its schedule is loaded, or the round overrides it). */
  covers(day: CivilDay): boolean;
  /** Whether `day` is a working day; throws `CalendarYearNotLoadedError` when it cannot tell. */
  isWorkingDay(day: CivilDay): boolean;
}

/** The version of the bundled schedule, e.g. `chinese-days@1.5.7`; a calendar with no options has it. */
export const calendarVersion = `chinese-days@${bundledPackage.version}`;

/**
 * From this month-day on, a day also depends on the FOLLOWING year's notice: the New Year's Day
 * holiday of year Y+1 is decided in the notice for Y+1 and has reached back as far as 29 December of Y
 * (2006-12-30/31 and 2007-12-29 make-up workdays, 2018-12-30/31 off). 25 December leaves a margin.
 */
const NEXT_YEAR_DECIDES_FROM = '12-25';

const civilDaySchema = z
  .string()
  .refine(isCivilDay, { message: 'must be a calendar day written YYYY-MM-DD' });

/** One day a round declares off (`workday: false`) or on (`workday: true`), whatever the schedule says. */
export const calendarOverrideSchema = z.strictObject({
  date: civilDaySchema,
  workday: z.boolean(),
  note: z.string().max(500).optional(),
});

/**
 * One year's official schedule: `holidays` are the days off (weekend days inside a holiday span may be
 * listed, they change nothing); `workdays` are the make-up working days, which fall on weekends.
 * Dates may reach back to 25 December of the previous year (the New Year's Day holiday).
 */
export const yearScheduleSchema = z.strictObject({
  holidays: z.array(civilDaySchema),
  workdays: z.array(civilDaySchema),
});

export const calendarOptionsSchema = z.strictObject({
  overrides: z.array(calendarOverrideSchema).optional(),
  /** Schedules for years the bundled data does not have yet, keyed by year (`"2027"`). */
  extraYears: z
    .record(z.string().regex(/^\d{4}$/, 'must be a four-digit year'), yearScheduleSchema)
    .optional(),
});

export type CalendarOverride = z.infer<typeof calendarOverrideSchema>;
export type YearSchedule = z.infer<typeof yearScheduleSchema>;
export type CalendarOptions = z.infer<typeof calendarOptionsSchema>;

interface DayRule {
  workday: boolean;
  /** Where the rule came from, for conflict messages. */
  source: string;
}

interface Schedule {
  years: Set<number>;
  rules: Map<CivilDay, DayRule>;
}

/** Reads the bundled chinese-days data (keyed by date; `inLieuDays` are already among the holidays). */
function loadBundledSchedule(): Schedule {
  const parsed = z
    .object({
      holidays: z.record(civilDaySchema, z.string()),
      workdays: z.record(civilDaySchema, z.string()),
    })
    .safeParse(bundledSchedule);
  if (!parsed.success) {
    throw new InvalidCalendarDataError(issuesToDetails(parsed.error.issues, 'chinese-days'));
  }

  const rules = new Map<CivilDay, DayRule>();
  const details: ErrorDetail[] = [];
  for (const [kind, days, workday] of [
    ['holidays', parsed.data.holidays, false],
    ['workdays', parsed.data.workdays, true],
  ] as const) {
    for (const day of Object.keys(days)) {
      addRule(
        rules,
        day,
        { workday, source: `chinese-days ${kind}` },
        `chinese-days.${kind}.${day}`,
        details,
      );
    }
  }
  if (details.length > 0) throw new InvalidCalendarDataError(details);

  // Every notice sets New Year's Day, so a year is loaded exactly when its 1 January is listed; a year
  // that only shows up through late-December dates of the next year's notice does not count.
  const years = new Set<number>();
  for (const day of Object.keys(parsed.data.holidays)) {
    if (day.endsWith('-01-01')) years.add(yearOf(day));
  }
  return { years, rules };
}

const bundled = loadBundledSchedule();

function addRule(
  rules: Map<CivilDay, DayRule>,
  day: CivilDay,
  rule: DayRule,
  path: string,
  details: ErrorDetail[],
): void {
  const existing = rules.get(day);
  if (existing && existing.workday !== rule.workday) {
    details.push({
      path,
      code: 'CONFLICTING_DAY',
      message: `${day} is a ${rule.workday ? 'workday' : 'holiday'} here but a ${existing.workday ? 'workday' : 'holiday'} in ${existing.source}`,
    });
    return;
  }
  if (rule.workday && !isWeekend(day)) {
    details.push({
      path,
      code: 'MAKE_UP_WORKDAY_ON_WEEKDAY',
      message: `${day} is a weekday; a make-up workday falls on a weekend`,
    });
    return;
  }
  rules.set(day, rule);
}

function issuesToDetails(issues: readonly z.core.$ZodIssue[], root?: string): ErrorDetail[] {
  return issues.map((issue) => ({
    path: [...(root ? [root] : []), ...issue.path.map(String)].join('.'),
    code: issue.code,
    message: issue.message,
  }));
}

class ScheduleCalendar implements WorkingDayCalendar {
  readonly years: readonly number[];

  constructor(
    readonly version: string,
    private readonly loadedYears: ReadonlySet<number>,
    private readonly rules: ReadonlyMap<CivilDay, DayRule>,
    private readonly overrides: ReadonlyMap<CivilDay, boolean>,
  ) {
    this.years = [...loadedYears].sort((a, b) => a - b);
  }

  covers(day: CivilDay): boolean {
    return this.overrides.has(day) || this.missingYear(day) === undefined;
  }

  isWorkingDay(day: CivilDay): boolean {
    // An override states that one day's status outright, so it needs no schedule behind it.
    const overridden = this.overrides.get(day);
    if (overridden !== undefined) return overridden;
    const missing = this.missingYear(day);
    if (missing !== undefined) throw new CalendarYearNotLoadedError(day, missing, this.years);
    return this.rules.get(day)?.workday ?? !isWeekend(day);
  }

  private missingYear(day: CivilDay): number | undefined {
    const year = yearOf(day);
    if (!this.loadedYears.has(year)) return year;
    if (day.slice(5) >= NEXT_YEAR_DECIDES_FROM && !this.loadedYears.has(year + 1)) return year + 1;
    return undefined;
  }
}

/**
 * The bundled chinese-days schedule, plus a round's own data:
 * - `extraYears` adds whole years the package does not have yet (a bundled year cannot be replaced:
 *   amend single days with `overrides`);
 * - `overrides` set single days off or on (e.g. a local closure), taking precedence over everything.
 * Throws `InvalidCalendarDataError` when the options are malformed or contradict themselves.
 */
export function createCalendar(options: CalendarOptions = {}): WorkingDayCalendar {
  const parsed = calendarOptionsSchema.safeParse(options);
  if (!parsed.success) throw new InvalidCalendarDataError(issuesToDetails(parsed.error.issues));
  const { overrides = [], extraYears = {} } = parsed.data;

  const details: ErrorDetail[] = [];
  const years = new Set(bundled.years);
  const rules = new Map(bundled.rules);
  for (const [yearKey, schedule] of Object.entries(extraYears)) {
    const year = Number(yearKey);
    if (bundled.years.has(year)) {
      details.push({
        path: `extraYears.${yearKey}`,
        code: 'YEAR_ALREADY_LOADED',
        message: `${year} is already in ${calendarVersion}; amend single days with overrides`,
      });
      continue;
    }
    years.add(year);
    const earliest = `${year - 1}-${NEXT_YEAR_DECIDES_FROM}`;
    const latest = `${year}-12-31`;
    for (const [kind, workday] of [
      ['holidays', false],
      ['workdays', true],
    ] as const) {
      schedule[kind].forEach((day, index) => {
        const path = `extraYears.${yearKey}.${kind}.${index}`;
        if (day < earliest || day > latest) {
          details.push({ path, code: 'OUTSIDE_YEAR', message: `${day} is outside ${earliest}..${latest}` });
          return;
        }
        addRule(rules, day, { workday, source: `extraYears.${yearKey}.${kind}` }, path, details);
      });
    }
  }

  const overrideDays = new Map<CivilDay, boolean>();
  overrides.forEach((override, index) => {
    if (overrideDays.has(override.date)) {
      details.push({
        path: `overrides.${index}.date`,
        code: 'DUPLICATE_OVERRIDE',
        message: `${override.date} is overridden more than once`,
      });
      return;
    }
    overrideDays.set(override.date, override.workday);
  });

  if (details.length > 0) throw new InvalidCalendarDataError(details);
  return new ScheduleCalendar(versionOf(overrides, extraYears), years, rules, overrideDays);
}

/**
 * `chinese-days@1.5.7`, or `chinese-days@1.5.7+overrides:<12 hex>` when a round adds data. The hash
 * covers what changes the arithmetic (days and their status) in a canonical order; notes and the order
 * of entries do not change it, so equal calendars share one version.
 */
function versionOf(overrides: readonly CalendarOverride[], extraYears: Record<string, YearSchedule>): string {
  const years = Object.keys(extraYears).sort();
  if (overrides.length === 0 && years.length === 0) return calendarVersion;
  const sortedUnique = (days: readonly string[]) => [...new Set(days)].sort();
  const canonical = JSON.stringify({
    extraYears: years.map((year) => {
      const schedule = extraYears[year] ?? { holidays: [], workdays: [] };
      return [year, sortedUnique(schedule.holidays), sortedUnique(schedule.workdays)];
    }),
    overrides: overrides
      .map((override) => [override.date, override.workday] as const)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  });
  const hash = createHash('sha256').update(canonical).digest('hex').slice(0, 12);
  return `${calendarVersion}+overrides:${hash}`;
}
