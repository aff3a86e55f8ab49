import { z } from 'zod';
import { KINDS } from '../rounds/schema';

/**
 * The certified feed the province pulls (API.md `GET /v1/feed/certified`, REQUIREMENTS §4.6): one
 * append-only log per round. Every recognition, every province-recommendation decision and every
 * revocation appends one entry with the next sequence number of the round, carrying the
 * certificate's state after that change. Only the contracted fields: a unit's public identity and
 * the certificate — never a worker, a leader's name or a mobile (PIPL: minimal fields for a stated
 * purpose). `type` is the one field beyond API.md: without it a revocation could not be told apart.
 */
export const FEED_ENTRY_TYPES = ['certified', 'province-decision', 'revoked'] as const;
export type FeedEntryType = (typeof FEED_ENTRY_TYPES)[number];

export const feedItemSchema = z
  .strictObject({
    seq: z.number().int().positive().describe('Position in the round’s feed: 1, 2, 3 … with no gaps'),
    type: z
      .enum(FEED_ENTRY_TYPES)
      .describe(
        'What changed: `certified` (认定), `province-decision` (推荐省级 decided), `revoked` (认定撤销)',
      ),
    certificateNo: z.string().describe('认定证书编号, e.g. LF-2021-PP-001'),
    kind: z.enum(KINDS).describe('`brand` 市级劳务品牌 or `base` 市级劳务协作基地'),
    name: z.string().describe('品牌名称 / 基地名称'),
    ownerUnit: z.string().describe('所属单位'),
    ownerCreditCode: z.string().describe('所属单位统一社会信用代码'),
    countyCode: z
      .string()
      .regex(/^\d{6}$/)
      .nullable()
      .describe('The recommending county’s code; null for a city-level (市直) unit'),
    certifiedAt: z.iso.datetime({ offset: true }).describe('When the case was recognised'),
    recommendedToProvince: z
      .boolean()
      .nullable()
      .describe('The city’s recommendation to the province (推荐上报): null until decided'),
  })
  .meta({ id: 'CertifiedFeedItem', title: 'CertifiedFeedItem' });
export type FeedItem = z.infer<typeof feedItemSchema>;

/** The contracted fields, in their published order (also the CSV/XLSX columns). */
export const FEED_COLUMNS = Object.keys(feedItemSchema.shape) as (keyof FeedItem)[];

export const feedPageSchema = z
  .strictObject({
    roundId: z.string(),
    items: z.array(feedItemSchema),
    nextCursor: z
      .string()
      .describe(
        'Where the next pull starts: always present. Keep it — pulling it later returns only what was appended since.',
      ),
    hasMore: z.boolean().describe('Another page is available right now'),
  })
  .meta({
    id: 'CertifiedFeedPage',
    title: 'CertifiedFeedPage',
    description:
      'One page of a round’s certified feed (GET /v1/feed/certified), and the JSON export snapshot under exports/{roundId}/ (the whole feed, hasMore false).',
  });
export type FeedPage = z.infer<typeof feedPageSchema>;

/** A stored entry: the published item plus what the store needs to find and explain it. */
export const feedEntrySchema = feedItemSchema.extend({
  roundId: z.string().min(1),
  caseId: z.string().min(1),
  /** When the change was recorded (the entry's own time, unlike `certifiedAt`). */
  recordedAt: z.iso.datetime({ offset: true }),
});
export type FeedEntry = z.infer<typeof feedEntrySchema>;

/** Exactly the contracted fields of an entry: the projection every response and export goes through. */
export function feedItemOf(entry: FeedItem): FeedItem {
  return {
    seq: entry.seq,
    type: entry.type,
    certificateNo: entry.certificateNo,
    kind: entry.kind,
    name: entry.name,
    ownerUnit: entry.ownerUnit,
    ownerCreditCode: entry.ownerCreditCode,
    countyCode: entry.countyCode,
    certifiedAt: entry.certifiedAt,
    recommendedToProvince: entry.recommendedToProvince,
  };
}
