import { EVIDENCE_UPLOAD_PREFIX } from '../evidence/keys';

/**
 * Export snapshots of the certified feed for bulk pulls, in the evidence bucket under their own
 * prefix — never under the upload prefix `rounds/`, whose objects trigger evidence intake.
 */
export const EXPORTS_PREFIX = 'exports/';

if (EXPORTS_PREFIX.startsWith(EVIDENCE_UPLOAD_PREFIX) || EVIDENCE_UPLOAD_PREFIX.startsWith(EXPORTS_PREFIX)) {
  throw new Error('feed exports must not live under the intake prefix');
}

export const FEED_EXPORT_NAME = 'certified-feed';

/** `exports/{roundId}/certified-feed.{json,csv,xlsx}`. */
export function feedExportKey(roundId: string, format: 'json' | 'csv' | 'xlsx'): string {
  if (!/^[A-Za-z0-9-]{1,32}$/.test(roundId)) throw new Error(`unsafe round id in an export key: ${roundId}`);
  return `${EXPORTS_PREFIX}${roundId}/${FEED_EXPORT_NAME}.${format}`;
}
