import { createHash, type Hash } from 'node:crypto';
import type { EvidenceItem } from '#shared/cases/model';
import { now, nowIso } from '#shared/clock';
import { sniffHead } from '#shared/evidence/sniff';
import { logger } from '#shared/logger';
import { type OpenedObject, openObject, putErrorReport } from '#shared/objects/roster-objects';
import {
  compareDeclared,
  RosterFileError,
  type RosterProgress,
  type RosterStats,
} from '#shared/roster/index';
import { checkRoster, MAX_ERRORS_IN_STATS } from '#shared/roster-processing/check';
import { errorReportKey } from '#shared/roster-processing/keys';
import { declaredNumbersFor, type RosterSlot } from '#shared/roster-processing/options';
import { personKeySecret } from '#shared/roster-processing/person-key-secret';
import { PersonKeyCollector } from '#shared/roster-processing/person-keys';
import { ErrorReportFile } from '#shared/roster-processing/report-file';
import { crossCaseSummary, type RosterSlotStats } from '#shared/roster-processing/stats';
import { getRound } from '#shared/rounds/index';
import { getCaseHead, putEvidence } from '#shared/store/cases-repository';
import { claimPersons } from '#shared/store/person-index';
import {
  deleteCrossCaseNotice,
  getRosterStats,
  putCrossCaseNotice,
  putRosterStats,
  recordCrossCase,
  recordRosterProgress,
} from '#shared/store/rosters-repository';
import { acceptEvidence, judge, refuseEvidence } from './steps';

const HEAD_BYTES = 8192;
/** Progress reaches the evidence item at most this often. */
const PROGRESS_EVERY_MS = 1000;

export async function markMissing(
  caseId: string,
  reservation: EvidenceItem,
  receivedAt: string,
): Promise<void> {
  await putEvidence(caseId, {
    ...reservation,
    status: 'REJECTED',
    reasonCode: 'MISSING',
    reason: '文件已不存在，请重新上传',
    receivedAt,
  });
}

/**
 * A roster upload, read from S3 once: the type checks on its first bytes, then the same stream goes
 * through `verifyRoster` (never buffered whole) while it is hashed. The evidence item stays PENDING
 * with its progress while the parse runs. Only a roster that verifies leaves results: its error
 * report, its people in the person index, its stats on the case — then it is ACCEPTED. A file that
 * cannot be verified is REJECTED with the reason, and nothing else is written.
 */
export async function intakeRoster(
  key: string,
  caseId: string,
  slot: RosterSlot,
  reservation: EvidenceItem,
): Promise<void> {
  const { evidenceId } = reservation;
  const receivedAt = nowIso();
  const object = await openObject(key);
  if (!object) {
    await markMissing(caseId, reservation, receivedAt);
    return;
  }
  const stream = new HashedStream(object);
  try {
    const head = await stream.head(HEAD_BYTES);
    const verdict = await judge(key, reservation, object.size, sniffHead(head));
    if (!verdict.accepted) {
      const sha256 = await stream.drainDigest();
      await refuseEvidence(key, caseId, reservation, {
        code: verdict.code,
        reason: verdict.reason,
        size: object.size,
        sha256,
        receivedAt,
      });
      logger.info('evidence refused', { caseId, evidenceId, code: verdict.code });
      return;
    }

    const caseHead = await getCaseHead(caseId);
    if (!caseHead) throw new Error(`case ${caseId} of evidence ${evidenceId} not found`);
    const round = getRound(caseHead.roundId, caseHead.roundVersion);
    if (!round) throw new Error(`round ${caseHead.roundId} v${caseHead.roundVersion} not configured`);

    const pending: EvidenceItem = {
      ...reservation,
      status: 'PENDING',
      size: object.size,
      detectedType: verdict.contentType,
      receivedAt,
    };
    delete pending.reason;
    delete pending.reasonCode;
    delete pending.sha256;
    await putEvidence(caseId, pending);

    const secret = await personKeySecret();
    const report = new ErrorReportFile();
    const persons = new PersonKeyCollector(Math.ceil(object.size / 100));
    const progress = new ProgressRecorder(caseId, evidenceId);
    let stats: RosterStats;
    try {
      stats = await checkRoster(stream.rest(), {
        round,
        caseKind: caseHead.kind,
        slot,
        today: now(),
        totalBytes: object.size,
        onIssue: (issue) => report.add(issue),
        onProgress: (p) => progress.update(p),
        personKeys: { secret, onKey: (personKey) => persons.add(personKey) },
      });
    } catch (error) {
      report.discard();
      await progress.settle();
      if (!(error instanceof RosterFileError)) throw error;
      const sha256 = await stream.drainDigest();
      await refuseEvidence(key, caseId, reservation, {
        code: error.code,
        reason: error.message,
        size: object.size,
        sha256,
        receivedAt,
      });
      logger.info('roster refused', { caseId, evidenceId, slot, code: error.code });
      return;
    }
    await progress.settle();
    const sha256 = stream.digest();

    // Results, each step idempotent: a retried event redoes them all with the same outcome.
    const file = report.finish();
    let errorReport: RosterSlotStats['errorReport'] = null;
    try {
      if (file.issues > 0) {
        const reportKey = errorReportKey({ roundId: caseHead.roundId, caseId, slot, evidenceId });
        await putErrorReport(reportKey, file);
        errorReport = { key: reportKey, bytes: file.bytes, issues: file.issues };
      }
    } finally {
      report.discard();
    }

    const { errorsTotal, errors, kind, format, encoding, ...numbers } = stats;
    const slotStats: RosterSlotStats = {
      ...numbers,
      errors,
      slot,
      kind,
      format,
      encoding,
      errorsTotal,
      errorsTruncated: errorsTotal > MAX_ERRORS_IN_STATS,
      declaredDifferences: compareDeclared(
        stats,
        declaredNumbersFor(round, caseHead.kind, slot, caseHead.form),
      ),
      errorReport,
      crossCase: null,
      evidenceId,
      fileName: reservation.fileName,
      reservedAt: reservation.reservedAt,
      verifiedAt: nowIso(),
    };
    const previous = await getRosterStats(caseId, slot);
    const current = await putRosterStats(caseId, slotStats);
    await acceptEvidence(caseId, { ...pending, status: 'ACCEPTED', sha256 });
    logger.info('roster verified', {
      caseId,
      evidenceId,
      slot,
      format,
      rows: stats.rows,
      invalidRows: stats.invalidRows,
      issues: errorsTotal,
    });

    // The person index last: the applicant sees the verified roster at once, reviewers see the
    // cross-case claims a moment later (a retried event redoes this part too). A roster that a
    // newer upload already replaced claims nobody.
    if (!current) return;
    const claims = await claimPersons(caseHead.roundId, caseId, persons.keys());
    const at = nowIso();
    await recordCrossCase(caseId, slot, evidenceId, crossCaseSummary(claims.sharedPersons, claims.perCase));
    await noticeOtherCases(caseId, slot, claims.perCase, previous, at);
    logger.info('roster persons indexed', {
      caseId,
      evidenceId,
      slot,
      crossCasePersons: claims.sharedPersons,
    });
  } finally {
    stream.destroy();
  }
}

/**
 * Tells each other case that this roster claims some of its people, and withdraws the notices of
 * cases the previous roster of this slot shared people with but the new one does not.
 */
async function noticeOtherCases(
  caseId: string,
  slot: RosterSlot,
  perCase: ReadonlyMap<string, number>,
  previous: Record<string, unknown> | undefined,
  at: string,
): Promise<void> {
  for (const [otherCaseId, persons] of perCase) {
    await putCrossCaseNotice(otherCaseId, { otherCaseId: caseId, otherSlot: slot, persons, at });
  }
  const earlier = previous?.crossCase;
  const listed =
    typeof earlier === 'object' && earlier !== null && 'cases' in earlier && Array.isArray(earlier.cases)
      ? earlier.cases
      : [];
  for (const entry of listed) {
    const otherCaseId =
      typeof entry === 'object' && entry !== null && 'caseId' in entry ? entry.caseId : undefined;
    if (typeof otherCaseId === 'string' && !perCase.has(otherCaseId)) {
      await deleteCrossCaseNotice(otherCaseId, caseId, slot);
    }
  }
}

/**
 * The S3 body, hashed as it is read: the first bytes for the type checks, then the rest handed on
 * to the verifier. The verifier may stop early (a refused file); `drainDigest` then reads the
 * remainder only to complete the hash recorded on the refused item.
 */
class HashedStream {
  private readonly hash: Hash = createHash('sha256');
  private readonly it: AsyncIterator<Uint8Array>;
  private readonly buffered: Uint8Array[] = [];
  private done = false;

  constructor(private readonly object: OpenedObject) {
    this.it = object.body[Symbol.asyncIterator]();
  }

  /** At least `bytes` bytes (or the whole object if smaller), kept to be handed on by `rest`. */
  async head(bytes: number): Promise<Uint8Array> {
    let length = 0;
    while (length < bytes) {
      const chunk = await this.next();
      if (chunk === null) break;
      this.buffered.push(chunk);
      length += chunk.length;
    }
    return Buffer.concat(this.buffered).subarray(0, bytes);
  }

  /** The buffered head, then the rest of the body. Returning early does not close the body. */
  async *rest(): AsyncGenerator<Uint8Array, void, undefined> {
    while (this.buffered.length > 0) {
      const chunk = this.buffered.shift();
      if (chunk) yield chunk;
    }
    for (let chunk = await this.next(); chunk !== null; chunk = await this.next()) yield chunk;
  }

  async drainDigest(): Promise<string> {
    this.buffered.length = 0;
    while ((await this.next()) !== null) {}
    return this.digest();
  }

  digest(): string {
    return this.hash.digest('hex');
  }

  destroy(): void {
    if (!this.done) this.object.destroy();
  }

  private async next(): Promise<Uint8Array | null> {
    if (this.done) return null;
    const result = await this.it.next();
    if (result.done) {
      this.done = true;
      return null;
    }
    this.hash.update(result.value);
    return result.value;
  }
}

/** Writes parse progress to the evidence item, throttled, one write at a time, never blocking the parse. */
class ProgressRecorder {
  private lastAt = 0;
  private inFlight: Promise<void> | null = null;

  constructor(
    private readonly caseId: string,
    private readonly evidenceId: string,
  ) {}

  update(progress: RosterProgress): void {
    const at = Date.now();
    if (this.inFlight !== null || at - this.lastAt < PROGRESS_EVERY_MS) return;
    this.lastAt = at;
    const record = {
      rowsRead: progress.rowsRead,
      ...(progress.percent !== undefined ? { percent: progress.percent } : {}),
      at: nowIso(),
    };
    this.inFlight = recordRosterProgress(this.caseId, this.evidenceId, record)
      .catch((error: unknown) => {
        logger.warn('roster progress not recorded', { caseId: this.caseId, error: String(error) });
      })
      .finally(() => {
        this.inFlight = null;
      });
  }

  /** Waits for the write in flight, so no progress lands after the result. */
  async settle(): Promise<void> {
    await this.inFlight;
  }
}
