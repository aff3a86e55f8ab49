import { afterEach, describe, expect, it } from 'vitest';
import { createCalendar, formatShanghai, publicityWindow } from '#shared/calendar/index';

const calendar = createCalendar();
const hostZone = process.env.TZ;

describe('Asia/Shanghai time', () => {
  afterEach(() => {
    if (hostZone === undefined) delete process.env.TZ;
    else process.env.TZ = hostZone;
  });

  it("gives the same window whatever the machine's time zone", () => {
    // Prepare: Node re-reads TZ when it changes; New York is 12–13 hours behind Shanghai.
    process.env.TZ = 'America/New_York';

    // Act
    const window = publicityWindow(calendar, '2021-11-04T23:59:00+08:00', 7);

    // Assess
    expect(window.endsAt).toBe('2021-11-16T00:00:00+08:00');
  });

  it('rejects an instant without an offset, which would be read in the machine zone', () => {
    // Prepare
    const publishedAt = '2021-09-30T10:00:00';

    // Act
    const act = () => publicityWindow(calendar, publishedAt, 7);

    // Assess
    expect(act).toThrow(expect.objectContaining({ status: 400, code: 'INVALID_INSTANT' }));
  });

  it('keeps milliseconds only when there are some', () => {
    // Prepare
    const instants = [new Date('2021-09-30T02:00:00.000Z'), new Date('2021-09-30T02:00:00.250Z')];

    // Act
    const written = instants.map(formatShanghai);

    // Assess
    expect(written).toEqual(['2021-09-30T10:00:00+08:00', '2021-09-30T10:00:00.250+08:00']);
  });
});
