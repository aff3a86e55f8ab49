import { createHash } from 'node:crypto';
import { BadRequestError } from '../errors';

/**
 * Feed cursors: opaque to clients, validated by us. A cursor names a round and the last sequence
 * number the client has seen; a checksum makes an edited or truncated cursor evident. A cursor
 * grants nothing — every cursor of a round reads entries the province may read anyway — so what
 * matters is that a wrong one is refused (400) rather than silently skipping or repeating entries:
 * another round's cursor, a garbled one, or one pointing past the end of the feed.
 */
const VERSION = 'c1';

const checksum = (payload: string) =>
  createHash('sha256').update(`laowu-feed-cursor\n${payload}`).digest('base64url').slice(0, 12);

export function encodeCursor(roundId: string, afterSeq: number): string {
  const payload = Buffer.from(`${VERSION}|${roundId}|${afterSeq}`, 'utf8').toString('base64url');
  return `${payload}.${checksum(payload)}`;
}

/** The sequence number a cursor continues after; 400 for anything that is not a cursor of this round. */
export function decodeCursor(cursor: string, roundId: string, lastSeq: number): number {
  const invalid = (why: string) =>
    new BadRequestError('INVALID_CURSOR', '游标无效，请从上一次返回的 nextCursor 继续', [
      { path: 'query.cursor', code: 'INVALID_CURSOR', message: why },
    ]);
  const [payload, sum, ...rest] = cursor.split('.');
  if (!payload || !sum || rest.length > 0 || checksum(payload) !== sum) throw invalid('游标已被改动或不完整');
  const [version, cursorRound, seqText, ...extra] = Buffer.from(payload, 'base64url')
    .toString('utf8')
    .split('|');
  if (version !== VERSION || extra.length > 0 || !seqText || !/^(?:0|[1-9]\d{0,9})$/.test(seqText)) {
    throw invalid('游标格式不正确');
  }
  if (cursorRound !== roundId) throw invalid('游标属于另一个年度');
  const afterSeq = Number(seqText);
  if (afterSeq > lastSeq) throw invalid('游标超出了当前名单的末尾');
  return afterSeq;
}
