import { NotFoundError } from '#shared/errors';
import { decodeCursor } from '#shared/feed/cursor';
import {
  FEED_FORMATS,
  type FeedFormat,
  feedCsv,
  feedJson,
  feedXlsx,
  negotiateFeedFormat,
} from '#shared/feed/formats';
import { DEFAULT_FEED_PAGE_SIZE, feedPage } from '#shared/feed/page';
import type { FeedPage } from '#shared/feed/schema';
import { apiHandler } from '#shared/http/api-handler';
import { entityTag, fileResponse, matchesIfNoneMatch, notModified } from '#shared/http/download';
import { feedQuery } from '#shared/http/requests';
import type { HttpResponse } from '#shared/http/responses';
import { logger } from '#shared/logger';
import { getRound } from '#shared/rounds/index';
import { listFeedEntries, readCounters } from '#shared/store/feed-repository';

/**
 * The certified feed the province pulls (REQUIREMENTS §4.6): a round's recognitions, province
 * decisions and revocations in sequence, by cursor, as JSON, CSV or XLSX (`Accept`). Every answer
 * carries an ETag; a pull with `If-None-Match` of an unchanged page gets 304 and no body.
 */
const CACHING = { 'cache-control': 'private, no-cache', vary: 'accept' };

function represent(page: FeedPage, format: FeedFormat): { body: string | Uint8Array; etag: string } {
  // The tag names the page's content and format, never the bytes (an XLSX zip carries timestamps).
  const etag = entityTag(format, JSON.stringify(page));
  if (format === 'csv') return { body: feedCsv(page.items), etag };
  if (format === 'xlsx') return { body: feedXlsx(page.items), etag };
  return { body: feedJson(page), etag };
}

export const handler = apiHandler('feed-api', {
  'GET /v1/feed/certified': async (request): Promise<HttpResponse> => {
    request.requireRole('province');
    const query = request.query(feedQuery);
    const round = getRound(query.roundId);
    if (!round) throw new NotFoundError('ROUND_NOT_FOUND', `没有 ${query.roundId} 年度的申报`);

    const { feed: lastSeq } = await readCounters(round.roundId);
    const afterSeq = query.cursor ? decodeCursor(query.cursor, round.roundId, lastSeq) : 0;
    const limit = query.limit ?? DEFAULT_FEED_PAGE_SIZE;
    const { entries, hasMore } = await listFeedEntries(round.roundId, { afterSeq, limit });
    const page = feedPage(round.roundId, afterSeq, entries, hasMore);

    const format = negotiateFeedFormat(request.header('accept'));
    const { body, etag } = represent(page, format);
    const cursorHeaders = { 'x-next-cursor': page.nextCursor, 'x-has-more': String(page.hasMore) };
    if (matchesIfNoneMatch(request.header('if-none-match'), etag)) {
      return notModified(etag, { ...CACHING, ...cursorHeaders });
    }
    logger.info('feed page served', { roundId: round.roundId, afterSeq, items: page.items.length, format });
    if (format === 'json') {
      const headers = { 'content-type': FEED_FORMATS.json, etag, ...CACHING, ...cursorHeaders };
      return { statusCode: 200, headers, body: body as string };
    }
    const stem = `certified-feed-${round.roundId}-${afterSeq + 1}`;
    return fileResponse(body, {
      contentType: FEED_FORMATS[format],
      fileName: `${round.roundId}年度认定名单-${afterSeq + 1}.${format}`,
      fallbackName: `${stem}.${format}`,
      headers: { etag, ...CACHING, ...cursorHeaders },
    });
  },
});
