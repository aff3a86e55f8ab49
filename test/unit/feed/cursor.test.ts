import { describe, expect, it } from 'vitest';
import { BadRequestError } from '#shared/errors';
import { decodeCursor, encodeCursor } from '#shared/feed/cursor';

function refusal(run: () => unknown): BadRequestError {
  try {
    run();
  } catch (error) {
    if (error instanceof BadRequestError) return error;
    throw error;
  }
  throw new Error('expected the cursor to be refused');
}

describe('feed cursors', () => {
  it('resume after the sequence number they were made for', () => {
    expect(decodeCursor(encodeCursor('2021', 0), '2021', 0)).toBe(0);
    expect(decodeCursor(encodeCursor('2021', 7), '2021', 9)).toBe(7);
  });

  it('are opaque: no readable round or number', () => {
    const cursor = encodeCursor('2021', 12);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{12}$/);
    expect(cursor).not.toContain('2021');
  });

  it('refuse an edited cursor with 400 INVALID_CURSOR', () => {
    const cursor = encodeCursor('2021', 3);
    const forged = `${Buffer.from('c1|2021|1', 'utf8').toString('base64url')}.${cursor.split('.')[1]}`;
    const error = refusal(() => decodeCursor(forged, '2021', 9));
    expect(error.status).toBe(400);
    expect(error.code).toBe('INVALID_CURSOR');
    expect(error.details?.[0]?.path).toBe('query.cursor');
  });

  it.each([
    ['garbage', 'not-a-cursor'],
    ['a truncated checksum', encodeCursor('2021', 3).slice(0, -2)],
    ['an extra segment', `${encodeCursor('2021', 3)}.x`],
    ['an empty string', ''],
  ])('refuse %s', (_what, cursor) => {
    expect(refusal(() => decodeCursor(cursor, '2021', 9)).code).toBe('INVALID_CURSOR');
  });

  it('refuse another round’s cursor', () => {
    expect(refusal(() => decodeCursor(encodeCursor('2020', 1), '2021', 9)).details?.[0]?.message).toMatch(
      /另一个年度/,
    );
  });

  it('refuse a cursor past the end of the feed (none was ever given)', () => {
    expect(() => decodeCursor(encodeCursor('2021', 10), '2021', 9)).toThrow(BadRequestError);
    expect(decodeCursor(encodeCursor('2021', 9), '2021', 9)).toBe(9);
  });
});
