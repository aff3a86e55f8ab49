import { round2021 } from '#shared/rounds/2021';
import type { RoundInput } from '#shared/rounds/schema';

/**
 * Round 2026: the 2021 rules moved five years on, until a 2026 notice says otherwise.
 *
 * Decision: the base threshold counts transfers "since 2020" in the 2021 notice, i.e. since 1 January of
 * the year before the round year, so 2026 counts since 2025-01-01. The form years shift the same way.
 * Materials, rubric, panel and durations are the 2021 ones (shared, frozen data); change them here by
 * writing the field out instead of inheriting it.
 */
export const round2026: RoundInput = {
  ...round2021,
  roundId: '2026',
  version: 1,
  year: 2026,
  title: '2026年度市级劳务品牌、劳务协作基地申报认定',
  thresholds: {
    brand: { trainedMin: 500, employmentRateMin: 0.3, outputMin: 300 },
    base: { transferredMin: 2000, transferredSince: '2025-01-01' },
  },
  // 30 December 24:00 in Linfen.
  deadline: '2026-12-31T00:00:00+08:00',
  formYears: { brand: [2025, 2026], base: [2024, 2025, 2026] },
};
