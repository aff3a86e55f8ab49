import { describe, expect, it } from 'vitest';
import { round2021 } from '#shared/rounds/2021';
import { createRoundRegistry, getRound } from '#shared/rounds/index';

describe('round versions', () => {
  const edited = {
    ...round2021,
    version: round2021.version + 1,
    thresholds: { ...round2021.thresholds, brand: { ...round2021.thresholds.brand, trainedMin: 600 } },
  };
  const registry = createRoundRegistry([round2021, edited]);

  it('gives new cases the latest version of a round', () => {
    expect(registry.get('2021')?.thresholds.brand.trainedMin).toBe(600);
  });

  it('keeps judging an existing case by the version it was created under', () => {
    expect(registry.get('2021', round2021.version)?.thresholds.brand.trainedMin).toBe(500);
  });

  it('knows no version that was never registered', () => {
    expect(registry.get('2021', 99)).toBeUndefined();
  });

  it('refuses the same version twice', () => {
    expect(() => createRoundRegistry([round2021, round2021])).toThrow(/registered twice/);
  });

  it('serves the configured rounds through getRound', () => {
    expect(getRound('2021')?.roundId).toBe('2021');
    expect(getRound('2026', 1)?.deadline).toMatch(/^2026-12-3/);
  });
});

describe('a round’s own calendar days', () => {
  it('are round configuration the working-day calendar takes (e.g. a local holiday)', async () => {
    const { createCalendar, isWorkingDay } = await import('#shared/calendar/index');
    const localHoliday = {
      ...round2021,
      version: round2021.version + 1,
      calendar: { overrides: [{ date: '2021-12-20', workday: false, note: '市级调整' }] },
    };
    const round = createRoundRegistry([localHoliday]).get('2021');
    expect(round?.calendar.overrides).toHaveLength(1);
    expect(isWorkingDay(createCalendar(round?.calendar), '2021-12-20')).toBe(false);
    expect(isWorkingDay(createCalendar(getRound('2021', 1)?.calendar), '2021-12-20')).toBe(true);
  });

  it('refuse a malformed override', () => {
    expect(() =>
      createRoundRegistry([
        { ...round2021, calendar: { overrides: [{ date: '2021-13-40', workday: false }] } },
      ]),
    ).toThrow();
  });
});
