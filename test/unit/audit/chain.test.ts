import { describe, expect, it } from 'vitest';
import { type ChainedEntry, chain, GENESIS_HASH, verifyChain } from '#shared/audit/chain';

function trail(length: number): ChainedEntry[] {
  const entries: ChainedEntry[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= length; seq++) {
    const entry = chain(prev, {
      caseId: 'c1',
      seq,
      at: new Date(Date.UTC(2021, 11, 1) + seq * 60_000).toISOString(),
      status: seq % 2 ? 'SUBMITTED' : 'COUNTY_REVIEW',
      actor: `user-${seq % 7}`,
      role: 'county',
      action: 'status-changed',
    });
    entries.push(entry);
    prev = entry.hash;
  }
  return entries;
}
const anchorOf = (entries: ChainedEntry[]) => ({
  seq: entries.length,
  hash: entries.at(-1)?.hash ?? GENESIS_HASH,
});

describe('the hash-chained audit trail', () => {
  const entries = trail(1000);
  const anchor = anchorOf(entries);

  it('verifies an untouched chain of 1,000 entries, in any order', () => {
    expect(verifyChain(entries, anchor)).toEqual({ ok: true, length: 1000 });
    expect(verifyChain([...entries].reverse(), anchor)).toEqual({ ok: true, length: 1000 });
  });

  it('names the first entry whose content was changed', () => {
    const mutated = entries.map((e) => (e.seq === 417 ? { ...e, actor: 'someone-else' } : e));
    expect(verifyChain(mutated, anchor)).toEqual({ ok: false, seq: 417, reason: 'HASH' });
  });

  it('names a changed entry even when its hash was recomputed (the next link breaks)', () => {
    const target = entries[416] as ChainedEntry;
    const forged = chain(target.prevHash, { ...target, note: 'forged' });
    const mutated = entries.map((e) => (e.seq === 417 ? forged : e));
    expect(verifyChain(mutated, anchor)).toEqual({ ok: false, seq: 418, reason: 'PREVIOUS_HASH' });
  });

  it('names the gap a deleted entry leaves', () => {
    expect(
      verifyChain(
        entries.filter((e) => e.seq !== 600),
        anchor,
      ),
    ).toEqual({ ok: false, seq: 600, reason: 'SEQUENCE_GAP' });
  });

  it('notices two entries swapped', () => {
    const a = entries[10] as ChainedEntry;
    const b = entries[11] as ChainedEntry;
    const swapped = entries.map((e) =>
      e.seq === 11 ? { ...b, seq: 11 } : e.seq === 12 ? { ...a, seq: 12 } : e,
    );
    expect(verifyChain(swapped, anchor)).toMatchObject({ ok: false, seq: 11 });
  });

  it('notices the tail cut off, against the anchor kept on the case head', () => {
    expect(verifyChain(entries.slice(0, 990), anchor)).toEqual({ ok: false, seq: 991, reason: 'TRUNCATED' });
  });

  it('verifies an empty trail only against an empty anchor', () => {
    expect(verifyChain([], { seq: 0, hash: GENESIS_HASH })).toEqual({ ok: true, length: 0 });
    expect(verifyChain([], anchor)).toMatchObject({ ok: false, reason: 'TRUNCATED' });
  });
});
