import { encodeCursor } from './cursor';
import { type FeedEntry, type FeedPage, feedItemOf } from './schema';

/** A page of entries as the API and the exports publish it: only the contracted fields. */
export function feedPage(
  roundId: string,
  afterSeq: number,
  entries: readonly FeedEntry[],
  hasMore: boolean,
): FeedPage {
  const last = entries.at(-1)?.seq ?? afterSeq;
  return {
    roundId,
    items: entries.map(feedItemOf),
    nextCursor: encodeCursor(roundId, last),
    hasMore,
  };
}

export const DEFAULT_FEED_PAGE_SIZE = 100;
