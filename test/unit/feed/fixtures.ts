import type { FeedEntry } from '#shared/feed/schema';

/** A stored feed entry of round 2021 (a brand of Hongtong county), numbered `seq`. */
export const entry = (seq: number, overrides: Partial<FeedEntry> = {}): FeedEntry => ({
  seq,
  type: 'certified',
  certificateNo: `LF-2021-PP-${String(seq).padStart(3, '0')}`,
  kind: 'brand',
  name: '洪洞护工',
  ownerUnit: '洪洞县职业培训学校',
  ownerCreditCode: '91350100M000100Y43',
  countyCode: '141024',
  certifiedAt: '2021-12-11T00:00:02.000Z',
  recommendedToProvince: null,
  roundId: '2021',
  caseId: `case-${seq}`,
  recordedAt: '2021-12-11T00:00:02.000Z',
  ...overrides,
});
