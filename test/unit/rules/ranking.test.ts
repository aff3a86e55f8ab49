import { describe, expect, it } from 'vitest';
import {
  departuresFromRanking,
  pairingOf,
  type RankingCandidate,
  rankCandidates,
} from '#shared/rules/ranking';

const candidate = (
  caseId: string,
  total: number | null,
  pairing: RankingCandidate['pairing'] = 'none',
  kind: RankingCandidate['kind'] = 'brand',
): RankingCandidate => ({ caseId, kind, total, pairing });

describe('the proposed ranking', () => {
  it('orders by the panel total, higher first, and ranks brands and bases separately', () => {
    const ranked = rankCandidates([
      candidate('b', 70),
      candidate('a', 90),
      candidate('x', 60, 'none', 'base'),
      candidate('c', 80),
    ]);
    expect(ranked.map((r) => [r.caseId, r.kind, r.rank])).toEqual([
      ['a', 'brand', 1],
      ['c', 'brand', 2],
      ['b', 'brand', 3],
      ['x', 'base', 1],
    ]);
  });

  it('breaks equal totals by pairing: key-assistance, then poverty-alleviated, then none (REQUIREMENTS §5)', () => {
    const ranked = rankCandidates([
      candidate('none', 80),
      candidate('alleviated', 80, 'poverty-alleviated'),
      candidate('key', 80, 'key-assistance'),
      candidate('higher', 81),
    ]);
    expect(ranked.map((r) => [r.caseId, r.rank])).toEqual([
      ['higher', 1],
      ['key', 2],
      ['alleviated', 3],
      ['none', 4],
    ]);
  });

  it('gives candidates the rules cannot tell apart the same rank, and puts unscored cases last', () => {
    const ranked = rankCandidates([
      candidate('u', null),
      candidate('p', 75),
      candidate('q', 75),
      candidate('r', 70),
    ]);
    expect(ranked.map((r) => [r.caseId, r.rank])).toEqual([
      ['p', 1],
      ['q', 1],
      ['r', 3],
      ['u', 4],
    ]);
  });

  it('reads the pairing from the form, and none when it is absent or malformed', () => {
    expect(pairingOf({ pairing: { county: '吉县', province: '山西', status: 'key-assistance' } })).toBe(
      'key-assistance',
    );
    expect(pairingOf({ pairing: { status: 'something' } })).toBe('none');
    expect(pairingOf({})).toBe('none');
  });
});

describe('a selection follows the ranking unless it passes over a better case', () => {
  const candidates = [
    candidate('a', 90),
    candidate('b', 80),
    candidate('c', 80),
    candidate('x', 50, 'none', 'base'),
  ];

  it('follows: the top of each kind, either of two equal cases', () => {
    expect(departuresFromRanking(candidates, new Set(['a', 'b']))).toEqual([]);
    expect(departuresFromRanking(candidates, new Set(['a', 'c', 'x']))).toEqual([]);
  });

  it('departs: every passed-over case is named with the case chosen over it', () => {
    expect(departuresFromRanking(candidates, new Set(['b']))).toEqual([{ caseId: 'a', over: 'b' }]);
  });

  it('compares within a kind only', () => {
    expect(departuresFromRanking(candidates, new Set(['x']))).toEqual([]);
  });
});
