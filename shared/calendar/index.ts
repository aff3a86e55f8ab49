export {
  type CalendarOptions,
  type CalendarOverride,
  calendarOptionsSchema,
  calendarOverrideSchema,
  calendarVersion,
  createCalendar,
  type WorkingDayCalendar,
  type YearSchedule,
  yearScheduleSchema,
} from './calendar';
export {
  addWorkingDays,
  isWithinPublicity,
  isWorkingDay,
  type PublicityWindow,
  publicityWindow,
  type WorkingDayDeadline,
  workingDaysBetween,
} from './derived-dates';
export { CalendarYearNotLoadedError, InvalidCalendarDataError } from './errors';
export { type CivilDay, formatShanghai, type Instant, shanghaiDayOf } from './shanghai-time';
