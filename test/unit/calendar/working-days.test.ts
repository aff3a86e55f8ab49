import { describe, expect, it } from 'vitest';
import { addWorkingDays, createCalendar, isWorkingDay, workingDaysBetween } from '#shared/calendar/index';

const calendar = createCalendar();

describe('isWorkingDay', () => {
  it('counts a make-up Saturday as a working day', () => {
    // Prepare: Sat 2021-10-09 is 调休上班 for National Day.
    const day = '2021-10-09';

    // Act
    const working = isWorkingDay(calendar, day);

    // Assess
    expect(working).toBe(true);
  });

  it('does not count an ordinary Saturday', () => {
    // Prepare: Sat 2021-10-16 has no special status.
    const day = '2021-10-16';

    // Act
    const working = isWorkingDay(calendar, day);

    // Assess
    expect(working).toBe(false);
  });

  it('does not count a weekday given off in lieu', () => {
    // Prepare: Thu 2021-10-07 is off (调休放假) although no festival falls on it.
    const day = '2021-10-07';

    // Act
    const working = isWorkingDay(calendar, day);

    // Assess
    expect(working).toBe(false);
  });

  it('reads an instant as its Asia/Shanghai day', () => {
    // Prepare: 17:00Z on Thu 30 Sep 2021 is 01:00 on Fri 1 Oct (National Day) in Shanghai.
    const instant = new Date('2021-09-30T17:00:00Z');

    // Act
    const working = isWorkingDay(calendar, instant);

    // Assess
    expect(working).toBe(false);
  });

  it('rejects a day that does not exist', () => {
    // Prepare
    const day = '2021-02-30';

    // Act
    const act = () => isWorkingDay(calendar, day);

    // Assess
    expect(act).toThrow(expect.objectContaining({ status: 400, code: 'INVALID_DATE' }));
  });
});

describe('addWorkingDays', () => {
  it('is due at 24:00 of the first working day after the National Day holiday', () => {
    // Prepare: Thu 2021-09-30; Fri 8 Oct is the first working day after it.
    const from = '2021-09-30T16:00:00+08:00';

    // Act
    const deadline = addWorkingDays(calendar, from, 1);

    // Assess
    expect(deadline).toEqual({
      dueAt: '2021-10-09T00:00:00+08:00',
      lastWorkingDay: '2021-10-08',
      calendarVersion: 'chinese-days@1.5.7',
    });
  });

  it('lands on a make-up Sunday', () => {
    // Prepare: Sat 2021-09-25; Sun 26 Sep is 调休上班 for National Day.
    const from = '2021-09-25T10:00:00+08:00';

    // Act
    const deadline = addWorkingDays(calendar, from, 1);

    // Assess
    expect(deadline.lastWorkingDay).toBe('2021-09-26');
    expect(deadline.dueAt).toBe('2021-09-27T00:00:00+08:00');
  });

  it('rejects a count that is not a whole number', () => {
    // Prepare
    const from = '2021-11-05T09:30:00+08:00';

    // Act
    const act = () => addWorkingDays(calendar, from, 2.5);

    // Assess
    expect(act).toThrow(expect.objectContaining({ status: 400, code: 'INVALID_WORKING_DAYS' }));
  });
});

describe('workingDaysBetween', () => {
  it('gives back the count a deadline was computed with', () => {
    // Prepare: ten working days from before the 2026 Spring Festival.
    const from = '2026-02-10T11:00:00+08:00';
    const { dueAt } = addWorkingDays(calendar, from, 10);

    // Act
    const count = workingDaysBetween(calendar, from, dueAt);

    // Assess
    expect(count).toBe(10);
  });

  it('does not count a working day that has not ended yet', () => {
    // Prepare: Fri 8 Oct 2021 is the first working day after Thu 30 Sep, and is still running.
    const from = '2021-09-30T10:00:00+08:00';
    const to = '2021-10-08T23:59:59+08:00';

    // Act
    const count = workingDaysBetween(calendar, from, to);

    // Assess
    expect(count).toBe(0);
  });

  it('is zero when the end lies before the start', () => {
    // Prepare
    const from = '2021-11-10T10:00:00+08:00';
    const to = '2021-11-01T10:00:00+08:00';

    // Act
    const count = workingDaysBetween(calendar, from, to);

    // Assess
    expect(count).toBe(0);
  });
});
