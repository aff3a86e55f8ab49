import { BadRequestError } from '#shared/errors';
import type { WorkingDayCalendar } from './calendar';
import {
  type CivilDay,
  endOfShanghaiDay,
  formatShanghai,
  type Instant,
  nextDay,
  shanghaiDayOf,
  toInstant,
} from './shanghai-time';

const CIVIL_DAY_SHAPE = /^\d{4}-\d{2}-\d{2}$/;

/** A publicity period (公示期): objections are accepted while `startsAt <= t < endsAt`. */
export interface PublicityWindow {
  /** The publication instant, as `…+08:00`. */
  startsAt: string;
  /** 24:00 Asia/Shanghai of the last counted working day, written as 00:00 of the next day `…+08:00`. */
  endsAt: string;
  /** The working days counted, in order (`YYYY-MM-DD`). */
  workingDays: CivilDay[];
  calendarVersion: string;
}

/** A due date counted in working days. */
export interface WorkingDayDeadline {
  /** 24:00 Asia/Shanghai of `lastWorkingDay`, written as 00:00 of the next day `…+08:00`. */
  dueAt: string;
  lastWorkingDay: CivilDay;
  calendarVersion: string;
}

function requireWorkingDayCount(count: number, field: string): void {
  if (!Number.isSafeInteger(count) || count < 1) {
    throw new BadRequestError(
      'INVALID_WORKING_DAYS',
      `${field} must be a whole number of at least 1, got ${count}`,
    );
  }
}

/** The first `count` working days after `from`'s Asia/Shanghai day; `from`'s own day never counts. */
function workingDaysAfter(calendar: WorkingDayCalendar, from: Date, count: number): CivilDay[] {
  const days: CivilDay[] = [];
  // Bounded: the walk throws CalendarYearNotLoadedError when it leaves the loaded years.
  for (let day = nextDay(shanghaiDayOf(from)); days.length < count; day = nextDay(day)) {
    if (calendar.isWorkingDay(day)) days.push(day);
  }
  return days;
}

function lastOf(days: readonly CivilDay[]): CivilDay {
  const last = days[days.length - 1];
  if (last === undefined) throw new Error('invariant: at least one working day is counted');
  return last;
}

/**
 * The publicity window for a publication at `publishedAt` lasting `workingDays` full working days:
 * it ends at 24:00 Asia/Shanghai of the `workingDays`-th working day AFTER the publication day. The
 * publication day itself never counts, even when posted at 00:00 on a working day: a period counted
 * in days starts on the day after the event (民法典 第二百零一条: 开始的当日不计入，自下一日开始计算).
 */
export function publicityWindow(
  calendar: WorkingDayCalendar,
  publishedAt: Instant,
  workingDays: number,
): PublicityWindow {
  const start = toInstant(publishedAt, 'publishedAt');
  requireWorkingDayCount(workingDays, 'workingDays');
  const days = workingDaysAfter(calendar, start, workingDays);
  return {
    startsAt: formatShanghai(start),
    endsAt: formatShanghai(endOfShanghaiDay(lastOf(days))),
    workingDays: days,
    calendarVersion: calendar.version,
  };
}

/** Whether `at` lies inside the window (`startsAt` inclusive, `endsAt` exclusive). */
export function isWithinPublicity(window: PublicityWindow, at: Instant): boolean {
  const instant = toInstant(at, 'at').getTime();
  return (
    toInstant(window.startsAt, 'startsAt').getTime() <= instant &&
    instant < toInstant(window.endsAt, 'endsAt').getTime()
  );
}

/** The due instant `n` working days after `from`: 24:00 Asia/Shanghai of the n-th working day after its day. */
export function addWorkingDays(calendar: WorkingDayCalendar, from: Instant, n: number): WorkingDayDeadline {
  const start = toInstant(from, 'from');
  requireWorkingDayCount(n, 'n');
  const lastWorkingDay = lastOf(workingDaysAfter(calendar, start, n));
  return {
    dueAt: formatShanghai(endOfShanghaiDay(lastWorkingDay)),
    lastWorkingDay,
    calendarVersion: calendar.version,
  };
}

/**
 * Whether a day is a working day. A `YYYY-MM-DD` string is a calendar day; a `Date` or an ISO instant
 * with an offset stands for the Asia/Shanghai day it falls on.
 */
export function isWorkingDay(calendar: WorkingDayCalendar, date: CivilDay | Instant): boolean {
  // A bare date is a calendar day (the calendar rejects an impossible one such as 2021-02-30).
  if (typeof date === 'string' && CIVIL_DAY_SHAPE.test(date)) return calendar.isWorkingDay(date);
  return calendar.isWorkingDay(shanghaiDayOf(toInstant(date, 'date')));
}

/**
 * How many working days after `from`'s Asia/Shanghai day have fully ended by `to` (a day counts once
 * its 24:00 is at or before `to`). It inverts `addWorkingDays` and `publicityWindow`:
 * `workingDaysBetween(c, from, addWorkingDays(c, from, n).dueAt) === n`. Zero when `to` is earlier.
 */
export function workingDaysBetween(calendar: WorkingDayCalendar, from: Instant, to: Instant): number {
  const start = toInstant(from, 'from');
  const end = toInstant(to, 'to').getTime();
  let count = 0;
  for (let day = nextDay(shanghaiDayOf(start)); endOfShanghaiDay(day).getTime() <= end; day = nextDay(day)) {
    if (calendar.isWorkingDay(day)) count += 1;
  }
  return count;
}
