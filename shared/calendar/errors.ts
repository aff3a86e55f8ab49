import { type ErrorDetail, UnprocessableError } from '#shared/errors';

/**
 * The calendar was asked about a day whose official holiday schedule (国务院办公厅 notice) is not
 * loaded. Counting such a day as an ordinary weekday would silently turn holidays into working days,
 * so the question is refused. A 422: the request is well-formed but cannot be answered until the
 * schedule is added (a newer `chinese-days` or the round's `extraYears`).
 */
export class CalendarYearNotLoadedError extends UnprocessableError {
  /** The day that was asked about. */
  readonly date: string;
  /** The year whose schedule is missing (for late-December days, the following year's). */
  readonly missingYear: number;
  readonly loadedYears: readonly number[];

  constructor(date: string, missingYear: number, loadedYears: readonly number[]) {
    const first = loadedYears[0];
    const last = loadedYears[loadedYears.length - 1];
    const loaded = first === undefined || last === undefined ? 'none' : `${first}–${last}`;
    const spillover =
      Number(date.slice(0, 4)) !== missingYear
        ? ` (late December may belong to the ${missingYear} New Year's Day holiday)`
        : '';
    const message =
      `The official holiday schedule for ${missingYear} is not loaded, so whether ${date} is a ` +
      `working day is unknown${spillover}. Loaded years: ${loaded}.`;
    super('CALENDAR_YEAR_NOT_LOADED', message, [{ path: 'date', code: 'CALENDAR_YEAR_NOT_LOADED', message }]);
    this.date = date;
    this.missingYear = missingYear;
    this.loadedYears = loadedYears;
  }
}

/** The holiday data or a round's calendar options are inconsistent (see `details`). */
export class InvalidCalendarDataError extends UnprocessableError {
  constructor(details: ErrorDetail[]) {
    const summary = details.map((detail) => `${detail.path}: ${detail.message}`).join('; ');
    super('INVALID_CALENDAR_DATA', `Invalid calendar data: ${summary}`, details);
  }
}
