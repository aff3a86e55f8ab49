import { describe, expect, it } from 'vitest';
import {
  CalendarYearNotLoadedError,
  calendarVersion,
  createCalendar,
  InvalidCalendarDataError,
  isWorkingDay,
  publicityWindow,
} from '#shared/calendar/index';

// A made-up schedule for a year the bundled data does not have, shaped like a State Council notice.
const schedule2027 = {
  holidays: ['2027-01-01', '2027-02-05', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11'],
  workdays: ['2027-02-13'],
};

describe('the bundled schedule', () => {
  it('loads every year from 2004 to 2026 and no later', () => {
    // Prepare
    const expected = Array.from({ length: 23 }, (_, index) => 2004 + index);

    // Act
    const calendar = createCalendar();

    // Assess
    expect(calendar.years).toEqual(expected);
  });

  it('is versioned by the chinese-days release it comes from', () => {
    // Prepare
    const calendar = createCalendar();

    // Act
    const version = calendar.version;

    // Assess
    expect(version).toBe('chinese-days@1.5.7');
    expect(version).toBe(calendarVersion);
  });
});

describe('a year that is not loaded', () => {
  it('refuses a publication in 2027 instead of treating it as a normal year', () => {
    // Prepare
    const calendar = createCalendar();

    // Act
    const act = () => publicityWindow(calendar, '2027-03-01T10:00:00+08:00', 7);

    // Assess
    expect(act).toThrow(CalendarYearNotLoadedError);
    expect(act).toThrow(
      expect.objectContaining({ status: 422, code: 'CALENDAR_YEAR_NOT_LOADED', missingYear: 2027 }),
    );
  });

  it('refuses a window that runs from 2026 into 2027', () => {
    // Prepare: fifteen working days from Mon 2026-12-14 would end in January 2027.
    const calendar = createCalendar();

    // Act
    const act = () => publicityWindow(calendar, '2026-12-14T10:00:00+08:00', 15);

    // Assess
    expect(act).toThrow(CalendarYearNotLoadedError);
  });

  it("refuses late December until the next year's New Year holiday is known", () => {
    // Prepare: the 2019 notice made Mon 2018-12-31 a holiday; the 2027 notice may do the same to 2026.
    const calendar = createCalendar();

    // Act
    const act = () => isWorkingDay(calendar, '2026-12-28');

    // Assess
    expect(act).toThrow(expect.objectContaining({ date: '2026-12-28', missingYear: 2027 }));
  });

  it("answers for late December once the next year's schedule is loaded", () => {
    // Prepare: 2018 and 2019 are both loaded; 31 Dec 2018 was off, Sat 29 Dec 2018 a make-up workday.
    const calendar = createCalendar();

    // Act
    const answers = [isWorkingDay(calendar, '2018-12-29'), isWorkingDay(calendar, '2018-12-31')];

    // Assess
    expect(answers).toEqual([true, false]);
  });

  it('is answered once the round supplies its schedule through extraYears', () => {
    // Prepare: Thu 2027-02-04; Fri 5 and 8–11 Feb off, Sat 13 Feb a make-up workday.
    const calendar = createCalendar({ extraYears: { '2027': schedule2027 } });

    // Act
    const window = publicityWindow(calendar, '2027-02-04T10:00:00+08:00', 3);

    // Assess
    expect(calendar.years).toContain(2027);
    expect(window.workingDays).toEqual(['2027-02-12', '2027-02-13', '2027-02-15']);
  });
});

describe('round overrides', () => {
  it('can make an ordinary Saturday a working day', () => {
    // Prepare
    const calendar = createCalendar({ overrides: [{ date: '2021-11-13', workday: true }] });

    // Act
    const working = isWorkingDay(calendar, '2021-11-13');

    // Assess
    expect(working).toBe(true);
  });

  it('win over the official schedule', () => {
    // Prepare: Sat 2021-10-09 is an official make-up workday; the round closes it anyway.
    const calendar = createCalendar({ overrides: [{ date: '2021-10-09', workday: false }] });

    // Act
    const working = isWorkingDay(calendar, '2021-10-09');

    // Assess
    expect(working).toBe(false);
  });

  it('change the calendar version', () => {
    // Prepare
    const plain = createCalendar();

    // Act
    const amended = createCalendar({ overrides: [{ date: '2021-11-10', workday: false }] });

    // Assess
    expect(amended.version).not.toBe(plain.version);
    expect(amended.version.startsWith(`${calendarVersion}+overrides:`)).toBe(true);
  });

  it('give the same version whatever their order or notes', () => {
    // Prepare
    const a = { date: '2021-11-10', workday: false };
    const b = { date: '2021-11-13', workday: true };

    // Act
    const first = createCalendar({ overrides: [a, b] });
    const second = createCalendar({ overrides: [{ ...b, note: 'make-up for the move' }, a] });

    // Assess
    expect(second.version).toBe(first.version);
  });

  it('give a different version when a day flips', () => {
    // Prepare
    const closed = createCalendar({ overrides: [{ date: '2021-11-10', workday: false }] });

    // Act
    const open = createCalendar({ overrides: [{ date: '2021-11-10', workday: true }] });

    // Assess
    expect(open.version).not.toBe(closed.version);
  });

  it('answer for their own day only, never for the rest of an unloaded year', () => {
    // Prepare
    const calendar = createCalendar({ overrides: [{ date: '2027-01-04', workday: true }] });

    // Act
    const overridden = isWorkingDay(calendar, '2027-01-04');
    const other = () => isWorkingDay(calendar, '2027-01-05');

    // Assess
    expect(overridden).toBe(true);
    expect(other).toThrow(CalendarYearNotLoadedError);
  });
});

describe('invalid calendar data', () => {
  it('rejects a day overridden twice', () => {
    // Prepare
    const overrides = [
      { date: '2021-11-10', workday: false },
      { date: '2021-11-10', workday: true },
    ];

    // Act
    const act = () => createCalendar({ overrides });

    // Assess
    expect(act).toThrow(InvalidCalendarDataError);
    expect(act).toThrow(
      expect.objectContaining({ details: [expect.objectContaining({ path: 'overrides.1.date' })] }),
    );
  });

  it('rejects replacing a bundled year through extraYears', () => {
    // Prepare
    const extraYears = { '2021': { holidays: ['2021-01-01'], workdays: [] } };

    // Act
    const act = () => createCalendar({ extraYears });

    // Assess
    expect(act).toThrow(expect.objectContaining({ code: 'INVALID_CALENDAR_DATA' }));
  });

  it('rejects a make-up workday that falls on a weekday', () => {
    // Prepare: Wed 2027-02-17.
    const extraYears = { '2027': { ...schedule2027, workdays: ['2027-02-17'] } };

    // Act
    const act = () => createCalendar({ extraYears });

    // Assess
    expect(act).toThrow(
      expect.objectContaining({ details: [expect.objectContaining({ code: 'MAKE_UP_WORKDAY_ON_WEEKDAY' })] }),
    );
  });

  it('rejects a day that does not exist', () => {
    // Prepare
    const overrides = [{ date: '2021-02-30', workday: false }];

    // Act
    const act = () => createCalendar({ overrides });

    // Assess
    expect(act).toThrow(
      expect.objectContaining({ details: [expect.objectContaining({ path: 'overrides.0.date' })] }),
    );
  });
});
