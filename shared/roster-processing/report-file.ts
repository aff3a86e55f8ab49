import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { errorReportHeaderLine, errorReportLine, type RosterIssue } from '#shared/roster/index';

const FLUSH_CHARS = 64 * 1024;

/**
 * The error report of a roster being verified, spooled to a temporary file as issues arrive (a
 * million-row roster can have a report of hundreds of MB: it never sits in memory). Uploaded only
 * when the verification succeeds; a refused roster's partial report is discarded.
 */
export class ErrorReportFile {
  readonly path: string;
  private fd: number | null;
  private pending: string;
  private bytes = 0;
  private issues = 0;

  constructor(dir: string = os.tmpdir()) {
    this.path = path.join(dir, `laowu-roster-report-${process.pid}-${crypto.randomUUID()}.csv`);
    this.fd = fs.openSync(this.path, 'w', 0o600);
    this.pending = errorReportHeaderLine();
  }

  add(issue: RosterIssue): void {
    this.pending += errorReportLine(issue);
    this.issues++;
    if (this.pending.length >= FLUSH_CHARS) this.flush();
  }

  /** Closes the file: its path, size and issue count. */
  finish(): { path: string; bytes: number; issues: number } {
    this.flush();
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
    return { path: this.path, bytes: this.bytes, issues: this.issues };
  }

  /** Removes the file (after the upload, or when the roster was refused). Safe to call twice. */
  discard(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
    fs.rmSync(this.path, { force: true });
  }

  private flush(): void {
    if (this.fd === null || this.pending.length === 0) return;
    const chunk = Buffer.from(this.pending, 'utf8');
    fs.writeSync(this.fd, chunk);
    this.bytes += chunk.length;
    this.pending = '';
  }
}
