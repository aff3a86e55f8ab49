import { describe, expect, it } from 'vitest';
import { createCalendar, isWithinPublicity, publicityWindow } from '#shared/calendar/index';

// Expected values are counted by hand from the State Council notices (国办发明电〔2020〕27号 for 2021,
// 国办发明电〔2025〕7号 for 2026), which the bundled chinese-days data reproduces.
const calendar = createCalendar();

describe('publicityWindow', () => {
  it('skips the 2021 National Day holiday and counts the make-up Saturday of 9 October', () => {
    // Prepare: Thu 2021-09-30; 1–7 Oct off; Fri 8 and Sat 9 (调休上班) work; Sun 10 off.
    const publishedAt = '2021-09-30T10:00:00+08:00';

    // Act
    const window = publicityWindow(calendar, publishedAt, 7);

    // Assess
    expect(window.workingDays).toEqual([
      '2021-10-08',
      '2021-10-09',
      '2021-10-11',
      '2021-10-12',
      '2021-10-13',
      '2021-10-14',
      '2021-10-15',
    ]);
    expect(window.endsAt).toBe('2021-10-16T00:00:00+08:00');
  });

  it('starts at the publication instant, written in Asia/Shanghai', () => {
    // Prepare: 02:00Z is 10:00 in Shanghai.
    const publishedAt = '2021-09-30T02:00:00Z';

    // Act
    const window = publicityWindow(calendar, publishedAt, 7);

    // Assess
    expect(window.startsAt).toBe('2021-09-30T10:00:00+08:00');
  });

  it('counts from the Monday after a Friday publication', () => {
    // Prepare: Fri 2021-11-05; no holiday in November 2021.
    const publishedAt = '2021-11-05T09:30:00+08:00';

    // Act
    const window = publicityWindow(calendar, publishedAt, 7);

    // Assess: Mon 8 … Fri 12, Mon 15, Tue 16.
    expect(window.workingDays[0]).toBe('2021-11-08');
    expect(window.endsAt).toBe('2021-11-17T00:00:00+08:00');
  });

  it('does not count the publication day even when posted at 23:59', () => {
    // Prepare: Thu 2021-11-04 23:59 in Shanghai (15:59Z, still the 4th in UTC as well).
    const publishedAt = '2021-11-04T23:59:00+08:00';

    // Act
    const window = publicityWindow(calendar, publishedAt, 7);

    // Assess: Fri 5, Mon 8 … Fri 12, Mon 15.
    expect(window.workingDays[0]).toBe('2021-11-05');
    expect(window.endsAt).toBe('2021-11-16T00:00:00+08:00');
  });

  it('does not count the publication day even when posted at 00:00 on a working day', () => {
    // Prepare: the very first instant of Fri 2021-11-05.
    const publishedAt = '2021-11-05T00:00:00+08:00';

    // Act
    const window = publicityWindow(calendar, publishedAt, 7);

    // Assess
    expect(window.workingDays[0]).toBe('2021-11-08');
    expect(window.endsAt).toBe('2021-11-17T00:00:00+08:00');
  });

  it('takes the publication day in Asia/Shanghai, not in UTC', () => {
    // Prepare: 16:30Z on Thu 4 Nov is already 00:30 on Fri 5 Nov in Shanghai.
    const publishedAt = '2021-11-04T16:30:00Z';

    // Act
    const window = publicityWindow(calendar, publishedAt, 7);

    // Assess: the same window as a Friday publication.
    expect(window.workingDays[0]).toBe('2021-11-08');
    expect(window.endsAt).toBe('2021-11-17T00:00:00+08:00');
  });

  it('spans the 2026 Spring Festival and counts both of its make-up Saturdays', () => {
    // Prepare: Thu 2026-02-12; Sat 14 Feb works, 15–23 Feb off, Sat 28 Feb works.
    const publishedAt = '2026-02-12T15:00:00+08:00';

    // Act
    const window = publicityWindow(calendar, publishedAt, 7);

    // Assess
    expect(window.workingDays).toEqual([
      '2026-02-13',
      '2026-02-14',
      '2026-02-24',
      '2026-02-25',
      '2026-02-26',
      '2026-02-27',
      '2026-02-28',
    ]);
    expect(window.endsAt).toBe('2026-03-01T00:00:00+08:00');
  });

  it('ends one working day later when an override closes a day inside the window', () => {
    // Prepare: the Friday publication above ends on 2021-11-17; the round closes Wed 10 Nov.
    const closed = createCalendar({
      overrides: [{ date: '2021-11-10', workday: false, note: 'office move' }],
    });

    // Act
    const window = publicityWindow(closed, '2021-11-05T09:30:00+08:00', 7);

    // Assess
    expect(window.workingDays).not.toContain('2021-11-10');
    expect(window.endsAt).toBe('2021-11-18T00:00:00+08:00');
  });

  it('carries the version of the calendar it was computed with', () => {
    // Prepare
    const amended = createCalendar({ overrides: [{ date: '2021-11-10', workday: false }] });

    // Act
    const window = publicityWindow(amended, '2021-11-05T09:30:00+08:00', 7);

    // Assess
    expect(window.calendarVersion).toBe(amended.version);
    expect(window.calendarVersion).toMatch(/^chinese-days@1\.5\.7\+overrides:[0-9a-f]{12}$/);
  });

  it('accepts objections from the publication instant up to, but not at, its end', () => {
    // Prepare
    const window = publicityWindow(calendar, '2021-09-30T10:00:00+08:00', 7);

    // Act
    const verdicts = [
      isWithinPublicity(window, '2021-09-30T09:59:59+08:00'),
      isWithinPublicity(window, '2021-09-30T10:00:00+08:00'),
      isWithinPublicity(window, '2021-10-15T23:59:59+08:00'),
      isWithinPublicity(window, '2021-10-16T00:00:00+08:00'),
    ];

    // Assess
    expect(verdicts).toEqual([false, true, true, false]);
  });

  it('rejects a window of no working days', () => {
    // Prepare
    const publishedAt = '2021-11-05T09:30:00+08:00';

    // Act
    const act = () => publicityWindow(calendar, publishedAt, 0);

    // Assess
    expect(act).toThrow(expect.objectContaining({ status: 400, code: 'INVALID_WORKING_DAYS' }));
  });
});
