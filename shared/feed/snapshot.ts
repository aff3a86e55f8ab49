import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { lazyEnv } from '../config';
import { logger } from '../logger';
import { listAllFeedEntries, readCounters } from '../store/feed-repository';
import { FEED_FORMATS, feedCsv, feedJson, feedXlsx } from './formats';
import { feedExportKey } from './keys';
import { feedPage } from './page';

/**
 * The export snapshot of a round's certified feed: the whole feed as JSON (the page schema, with the
 * cursor to continue from through the API), CSV and XLSX under `exports/{roundId}/`, rewritten
 * after every change so the province can pull the lot in one request each.
 */
let client: S3Client | undefined;
const s3 = () => {
  client ??= new S3Client({});
  return client;
};
const bucket = lazyEnv('EVIDENCE_BUCKET');

const MAX_REWRITES = 5;

/**
 * Writes the snapshot of the feed as it stands. Writers of one round may race (two certifications at
 * once): each checks after writing that the feed did not move meanwhile and writes again if it did,
 * so the objects end on the latest state whichever writer finishes last.
 */
export async function writeFeedSnapshot(roundId: string): Promise<{ lastSeq: number; writes: number }> {
  for (let writes = 1; ; writes++) {
    const entries = await listAllFeedEntries(roundId);
    const lastSeq = entries.at(-1)?.seq ?? 0;
    const page = feedPage(roundId, 0, entries, false);
    const metadata = { 'last-seq': String(lastSeq) };
    const put = (format: 'json' | 'csv' | 'xlsx', body: string | Uint8Array) =>
      s3().send(
        new PutObjectCommand({
          Bucket: bucket(),
          Key: feedExportKey(roundId, format),
          Body: body,
          ContentType: FEED_FORMATS[format],
          Metadata: metadata,
        }),
      );
    await Promise.all([
      put('json', feedJson(page)),
      put('csv', feedCsv(page.items)),
      put('xlsx', feedXlsx(page.items)),
    ]);
    const { feed } = await readCounters(roundId);
    if (feed === lastSeq || writes >= MAX_REWRITES) {
      logger.info('feed snapshot written', { roundId, lastSeq, writes });
      return { lastSeq, writes };
    }
  }
}
