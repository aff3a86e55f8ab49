import { describe, expect, it } from 'vitest';
import { IdTable } from '#shared/roster/id-table';

describe('roster dedup table', () => {
  it('finds every key again after growing many times', () => {
    // Prepare
    const table = new IdTable();
    const n = 100_000;

    // Act
    for (let i = 0; i < n; i++) table.upsert(110000 + (i % 900000), i * 7 + 1, i + 2);

    // Assess
    expect(table.size).toBe(n);
    for (let i = 0; i < n; i += 997) {
      expect(table.upsert(110000 + (i % 900000), i * 7 + 1, 0)).toBe(false);
      expect(table.firstRow()).toBe(i + 2);
    }
    expect(table.size).toBe(n);
  });

  it('stays within ~32 bytes per distinct ID', () => {
    const table = new IdTable();
    for (let i = 0; i < 200_000; i++) table.upsert(141024, i, i + 2);

    expect(table.byteLength / table.size).toBeLessThanOrEqual(32);
  });

  it('reports flag bits only the first time they are set', () => {
    const table = new IdTable();
    table.upsert(141024, 1, 2);

    expect(table.addFlags(1)).toBe(1);
    expect(table.addFlags(3)).toBe(2);
    expect(table.addFlags(3)).toBe(0);
    expect(table.flags()).toBe(3);
    expect(table.firstRow()).toBe(2);
  });

  it('keeps keys that differ only in the low word apart', () => {
    const table = new IdTable();

    expect(table.upsert(141024, 5, 2)).toBe(true);
    expect(table.upsert(141024, 6, 3)).toBe(true);
    expect(table.upsert(141025, 5, 4)).toBe(true);
    expect(table.size).toBe(3);
  });
});
