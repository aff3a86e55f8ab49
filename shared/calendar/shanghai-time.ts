import { BadRequestError } from '#shared/errors';

/**
 * Time in Asia/Shanghai without the machine's time zone. China has kept UTC+8 with no daylight saving
 * since 1992, so a fixed offset is exact for every year a holiday schedule exists for (2004 on), and
 * only UTC accessors of `Date` are used: the result never depends on the host's `TZ`.
 */

/** A calendar day in Asia/Shanghai, written `YYYY-MM-DD`. */
export type CivilDay = string;

/** A point in time: a `Date`, or an ISO 8601 string that carries its offset (`Z` or `±HH:MM`). */
export type Instant = Date | string;

const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

const CIVIL_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
// The offset is required: `new Date('2021-09-30T10:00:00')` would be read in the host's zone.
const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|([+-])(\d{2}):(\d{2}))$/;

function civilParts(day: string): { year: number; month: number; date: number } | undefined {
  const match = CIVIL_DAY.exec(day);
  if (!match) return undefined;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const date = Number(match[3]);
  const probe = new Date(Date.UTC(year, month - 1, date));
  // Date.UTC rolls 2021-02-30 over to March; a real day survives the round trip unchanged.
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== date) {
    return undefined;
  }
  return { year, month, date };
}

/** True for a real calendar day written `YYYY-MM-DD` (so `2021-02-30` is false). */
export function isCivilDay(value: string): boolean {
  return civilParts(value) !== undefined;
}

function requireCivilParts(day: CivilDay): { year: number; month: number; date: number } {
  const parts = civilParts(day);
  if (!parts) {
    throw new BadRequestError('INVALID_DATE', `"${day}" is not a calendar day written YYYY-MM-DD`);
  }
  return parts;
}

/** Midnight UTC of the day's label: a neutral anchor for day arithmetic and weekdays. */
function utcAnchor(day: CivilDay): number {
  const { year, month, date } = requireCivilParts(day);
  return Date.UTC(year, month - 1, date);
}

export function yearOf(day: CivilDay): number {
  return requireCivilParts(day).year;
}

export function nextDay(day: CivilDay): CivilDay {
  return new Date(utcAnchor(day) + DAY_MS).toISOString().slice(0, 10);
}

/** True on Saturday and Sunday. */
export function isWeekend(day: CivilDay): boolean {
  const weekday = new Date(utcAnchor(day)).getUTCDay();
  return weekday === 0 || weekday === 6;
}

/** Reads an instant; a string must carry an explicit offset so the host's zone never matters. */
export function toInstant(value: Instant, field: string): Date {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) {
      throw new BadRequestError('INVALID_INSTANT', `${field} is an invalid Date`);
    }
    return new Date(value.getTime());
  }
  const match = ISO_INSTANT.exec(value);
  const day = match ? `${match[1]}-${match[2]}-${match[3]}` : '';
  if (!match || !isCivilDay(day)) {
    throw new BadRequestError(
      'INVALID_INSTANT',
      `${field} must be an ISO 8601 instant with an offset, e.g. 2021-09-30T10:00:00+08:00`,
    );
  }
  const hours = Number(match[4]);
  const minutes = Number(match[5]);
  const seconds = Number(match[6] ?? '0');
  const millis = Number((match[7] ?? '0').padEnd(3, '0'));
  const offsetMinutes =
    match[8] === 'Z' ? 0 : (match[9] === '-' ? -1 : 1) * (Number(match[10]) * 60 + Number(match[11]));
  if (hours > 23 || minutes > 59 || seconds > 59 || Math.abs(offsetMinutes) > 14 * 60) {
    throw new BadRequestError('INVALID_INSTANT', `${field} has an out-of-range time or offset`);
  }
  return new Date(utcAnchor(day) + ((hours * 60 + minutes - offsetMinutes) * 60 + seconds) * 1000 + millis);
}

/** The Asia/Shanghai calendar day an instant falls on. */
export function shanghaiDayOf(instant: Date): CivilDay {
  return new Date(instant.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** 24:00 Asia/Shanghai at the end of `day`, i.e. 00:00 of the next day. */
export function endOfShanghaiDay(day: CivilDay): Date {
  return new Date(utcAnchor(day) + DAY_MS - SHANGHAI_OFFSET_MS);
}

/**
 * Writes an instant as Asia/Shanghai wall time with `+08:00`, e.g. `2021-10-16T00:00:00+08:00`.
 * Milliseconds are written only when not zero, so a caller's precision is kept without cluttering
 * the whole-second instants the calendar itself produces.
 */
export function formatShanghai(instant: Date): string {
  const shifted = new Date(instant.getTime() + SHANGHAI_OFFSET_MS).toISOString();
  const wall = shifted.endsWith('.000Z') ? shifted.slice(0, 19) : shifted.slice(0, 23);
  return `${wall}+08:00`;
}
