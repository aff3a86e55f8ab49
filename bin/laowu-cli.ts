import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { RosterFileError, type RosterProgress } from '#shared/roster/index';
import { checkRoster } from '#shared/roster-processing/check';
import { isRosterSlot, type RosterSlot, RosterSlotError } from '#shared/roster-processing/options';
import { ErrorReportFile } from '#shared/roster-processing/report-file';
import { getRound, type Kind, listRounds } from '#shared/rounds/index';

/**
 * `laowu roster check FILE [--round 2021] [--kind brand|base] [--slot training-roster|output-roster]`
 * verifies a roster exactly as evidence intake does (same `checkRoster`, same round-derived options)
 * and prints its stats as JSON. Exit codes: 0 verified, 1 the file cannot be verified, 2 usage.
 */
const USAGE = `usage: laowu roster check FILE [options]

  --round ID      the round whose year and windows apply (default: the latest, ${listRounds().at(-1)?.roundId})
  --kind KIND     brand | base (default brand)
  --slot SLOT     training-roster | output-roster (default: training-roster for a brand, output-roster for a base)
  --today DATE    YYYY-MM-DD, "today" for future-date checks (default: today)
  --report FILE   also write the full error report (CSV, UTF-8 with BOM, IDs masked)
  --progress / --no-progress   progress bar on stderr (default: on a terminal, for files over 1 MiB)
`;

class UsageError extends Error {}

export interface CliIo {
  out: NodeJS.WritableStream;
  /** A progress bar is drawn only where this is a terminal. */
  err: NodeJS.WritableStream & { isTTY?: boolean };
}

export async function main(
  argv: string[],
  io: CliIo = { out: process.stdout, err: process.stderr },
): Promise<number> {
  try {
    return await run(argv, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err.write(`laowu: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    if (error instanceof RosterFileError) {
      io.err.write(`laowu: 无法核验花名册（${error.code}）：${error.message}\n`);
      for (const detail of error.details ?? []) io.err.write(`  - ${detail.message}\n`);
      return 1;
    }
    throw error;
  }
}

async function run(argv: string[], io: CliIo) {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out.write(USAGE);
    return 0;
  }
  const [group, command, file, ...extra] = positionals;
  if (group !== 'roster' || command !== 'check') throw new UsageError('unknown command');
  if (file === undefined) throw new UsageError('FILE is required');
  if (extra.length > 0) throw new UsageError(`unexpected argument ${extra[0]}`);

  const roundId = values.round ?? listRounds().at(-1)?.roundId ?? '';
  const round = getRound(roundId);
  if (!round)
    throw new UsageError(
      `unknown round ${roundId} (known: ${listRounds()
        .map((r) => r.roundId)
        .join(', ')})`,
    );
  const kind = values.kind ?? 'brand';
  if (kind !== 'brand' && kind !== 'base') throw new UsageError(`--kind must be brand or base, not ${kind}`);
  const slot = values.slot ?? (kind === 'brand' ? 'training-roster' : 'output-roster');
  if (!isRosterSlot(slot))
    throw new UsageError(`--slot must be training-roster or output-roster, not ${slot}`);
  const today = values.today === undefined ? new Date() : parseDay(values.today);

  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch {
    throw new UsageError(`cannot read ${file}`);
  }
  const showProgress = values.progress ?? (io.err.isTTY === true && size >= 1024 * 1024);
  const bar = showProgress ? new ProgressBar(io.err) : undefined;
  const report = values.report === undefined ? undefined : new ErrorReportFile();

  try {
    const stats = await checkRoster(fs.createReadStream(file), {
      round,
      caseKind: kind as Kind,
      slot: slot as RosterSlot,
      today,
      totalBytes: size,
      ...(bar ? { onProgress: (p: RosterProgress) => bar.draw(p) } : {}),
      ...(report ? { onIssue: report.add.bind(report) } : {}),
    });
    bar?.clear();
    if (report && values.report !== undefined) {
      const done = report.finish();
      fs.copyFileSync(done.path, values.report);
    }
    io.out.write(
      `${JSON.stringify({ roundId: round.roundId, roundVersion: round.version, caseKind: kind, slot, ...stats }, null, 2)}\n`,
    );
    return 0;
  } catch (error) {
    bar?.clear();
    if (error instanceof RosterSlotError)
      throw new UsageError(`a ${kind} of round ${round.roundId} has no ${slot}`);
    throw error;
  } finally {
    report?.discard();
  }
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    allowNegative: true,
    strict: true,
    options: {
      round: { type: 'string' },
      kind: { type: 'string' },
      slot: { type: 'string' },
      today: { type: 'string' },
      report: { type: 'string' },
      progress: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

function parseDay(text: string): Date {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(Date.parse(text))) {
    throw new UsageError(`--today must be YYYY-MM-DD, not ${text}`);
  }
  // Noon in China: the date is the same whichever way the verifier reads it.
  return new Date(`${text}T12:00:00+08:00`);
}

/** One line on stderr, redrawn in place at most ten times a second. */
class ProgressBar {
  private lastAt = 0;
  private drawn = false;

  constructor(private readonly stream: NodeJS.WritableStream) {}

  draw(p: RosterProgress): void {
    const at = Date.now();
    if (at - this.lastAt < 100 && p.percent !== 100) return;
    this.lastAt = at;
    const width = 30;
    const percent = p.percent ?? 0;
    const filled = Math.round((percent / 100) * width);
    const bar = `${'#'.repeat(filled)}${'-'.repeat(width - filled)}`;
    this.stream.write(
      `\r核验中 [${bar}] ${String(percent).padStart(3)}%  ${p.rowsRead.toLocaleString('en-US')} 行`,
    );
    this.drawn = true;
  }

  clear(): void {
    if (this.drawn) this.stream.write('\r\u001b[2K');
    this.drawn = false;
  }
}
