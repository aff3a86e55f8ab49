import { z } from 'zod';
import type { Kind } from '../rounds/schema';

/**
 * The proposed ranking of the cases waiting for selection (择优确定候选名单): by the panel's total,
 * higher first; under equal totals (同等条件下) a case paired with a key-assistance county comes first,
 * then one paired with a poverty-alleviated county, then the rest (REQUIREMENTS §5). Brands and bases
 * are ranked separately. Cases the rules cannot tell apart share a rank. Pure functions.
 */

export const PAIRING_PRIORITY = ['key-assistance', 'poverty-alleviated', 'none'] as const;
export type PairingPriority = (typeof PAIRING_PRIORITY)[number];

const pairingSchema = z.object({
  pairing: z.object({ status: z.enum(['key-assistance', 'poverty-alleviated']) }),
});

/** The pairing a case's form declares (结对子/对接), or `none`. */
export function pairingOf(form: unknown): PairingPriority {
  const parsed = pairingSchema.safeParse(form);
  return parsed.success ? parsed.data.pairing.status : 'none';
}

export interface RankingCandidate {
  caseId: string;
  kind: Kind;
  /** The panel's aggregate total; null when no expert scored (ranked last). */
  total: number | null;
  pairing: PairingPriority;
}

export type Ranked<T extends RankingCandidate> = T & {
  /** 1-based within the kind; equal candidates share a rank (1, 2, 2, 4). */
  rank: number;
};

/** Negative when `a` ranks before `b`, zero when the rules cannot tell them apart. */
export function compareCandidates(a: RankingCandidate, b: RankingCandidate): number {
  const totalA = a.total ?? Number.NEGATIVE_INFINITY;
  const totalB = b.total ?? Number.NEGATIVE_INFINITY;
  if (totalA !== totalB) return totalB - totalA;
  return PAIRING_PRIORITY.indexOf(a.pairing) - PAIRING_PRIORITY.indexOf(b.pairing);
}

/** The candidates of each kind in ranking order, with their rank; equal candidates in caseId order. */
export function rankCandidates<T extends RankingCandidate>(candidates: readonly T[]): Ranked<T>[] {
  const ranked: Ranked<T>[] = [];
  for (const kind of ['brand', 'base'] as const) {
    const ofKind = candidates
      .filter((candidate) => candidate.kind === kind)
      .sort((a, b) => compareCandidates(a, b) || a.caseId.localeCompare(b.caseId));
    ofKind.forEach((candidate, index) => {
      const previous = ranked.at(-1);
      const rank =
        index > 0 && previous && compareCandidates(previous, candidate) === 0 ? previous.rank : index + 1;
      ranked.push({ ...candidate, rank });
    });
  }
  return ranked;
}

export interface PassedOver {
  /** A case left out of the selection… */
  caseId: string;
  /** …although it ranks before this selected case. */
  over: string;
}

/**
 * Where a selection departs from the proposed ranking: every unselected case that ranks strictly
 * before a selected case of its kind. Empty when the selection follows the ranking (ties may go
 * either way).
 */
export function departuresFromRanking(
  candidates: readonly RankingCandidate[],
  selected: ReadonlySet<string>,
): PassedOver[] {
  const departures: PassedOver[] = [];
  for (const left of candidates) {
    if (selected.has(left.caseId)) continue;
    for (const chosen of candidates) {
      if (!selected.has(chosen.caseId) || chosen.kind !== left.kind) continue;
      if (compareCandidates(left, chosen) < 0) departures.push({ caseId: left.caseId, over: chosen.caseId });
    }
  }
  return departures;
}
