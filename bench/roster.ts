/**
 * Roster ingestion benchmark (shared/notes/performance-budgets.md).
 *
 *   npm exec -- tsx bench/roster.ts [rows=1000000] [--xlsx-rows 100000] [--runs 5] [--no-pin] [--fresh]
 *
 * Generates the reference roster (UTF-8 with BOM and GB18030) and a 100k-row XLSX into a temp dir
 * (kept between runs), bundles this file with esbuild as the Lambda would be bundled, then measures
 * every configuration in its own child process (so peak RSS is per configuration), pinned to one
 * core with `taskset -c 0` like a 1-vCPU Lambda, configurations interleaved, medians of the runs.
 * Ratios are against the newline-count baseline of the same run.
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { verifyRoster } from '#shared/roster/index';
import { createGb18030Encoder } from '../test/fixtures/roster/gb18030';
import { buildXlsx, type XlsxCell } from '../test/fixtures/roster/xlsx';
import { TRAINING_HEADER, trainingRows } from './roster-data';

type Config =
  | 'read-only'
  | 'baseline'
  | 'decode-utf8'
  | 'decode-gb18030'
  | 'verify-utf8'
  | 'verify-gb18030'
  | 'verify-utf8-hmac'
  | 'verify-xlsx';

interface Measurement {
  ms: number;
  maxRssBytes: number;
  summary: Record<string, unknown>;
}

const DATA_VERSION = 'v2';

// ---------------------------------------------------------------- child: measure one configuration
async function child(config: Config, file: string): Promise<void> {
  const t0 = performance.now();
  let summary: Record<string, unknown> = {};
  if (config === 'read-only') {
    let bytes = 0;
    for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) bytes += chunk.length;
    summary = { bytes };
  } else if (config === 'baseline') {
    let lines = 0;
    for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
      for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) lines++;
    }
    summary = { lines };
  } else if (config === 'decode-utf8' || config === 'decode-gb18030') {
    const decoder = new TextDecoder(config === 'decode-utf8' ? 'utf-8' : 'gb18030');
    let chars = 0;
    for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
      chars += decoder.decode(chunk, { stream: true }).length;
    }
    summary = { chars };
  } else {
    const stats = await verifyRoster(createReadStream(file), {
      // As the Lambda passes the object's ContentLength: it sizes the dedup table once.
      totalBytes: statSync(file).size,
      kind: 'training',
      roundYear: 2021,
      today: new Date('2022-06-01T00:00:00Z'),
      ...(config === 'verify-utf8-hmac' ? { personKeys: { secret: 'bench-secret', onKey: () => {} } } : {}),
    });
    const { errors: _errors, ...numbers } = stats;
    summary = numbers;
  }
  const ms = performance.now() - t0;
  const maxRssBytes = process.resourceUsage().maxRSS * 1024;
  process.stdout.write(`${JSON.stringify({ ms, maxRssBytes, summary } satisfies Measurement)}\n`);
}

// ---------------------------------------------------------------- parent: data, bundle, runs, table
interface Args {
  rows: number;
  xlsxRows: number;
  runs: number;
  pin: boolean;
  fresh: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { rows: 1_000_000, xlsxRows: 100_000, runs: 5, pin: true, fresh: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--xlsx-rows') args.xlsxRows = Number(argv[++i]);
    else if (a === '--runs') args.runs = Number(argv[++i]);
    else if (a === '--no-pin') args.pin = false;
    else if (a === '--fresh') args.fresh = true;
    else if (/^\d+$/.test(a)) args.rows = Number(a);
    else throw new Error(`unknown argument ${a}`);
  }
  return args;
}

function csvLine(cells: string[]): string {
  return `${cells.join(',')}\r\n`;
}

async function writeCsv(file: string, rows: number, gb: boolean): Promise<void> {
  const out = createWriteStream(file);
  const encode = createGb18030Encoder();
  const write = (text: string): Promise<void> | undefined => {
    const bytes = gb ? encodeMixed(text, encode) : Buffer.from(text, 'utf8');
    if (!out.write(bytes)) return new Promise((resolve) => out.once('drain', () => resolve()));
    return undefined;
  };
  if (!gb) out.write(Buffer.from([0xef, 0xbb, 0xbf]));
  let batch = csvLine(TRAINING_HEADER);
  for (const cells of trainingRows(rows)) {
    batch += csvLine(cells);
    if (batch.length > 256 * 1024) {
      await write(batch);
      batch = '';
    }
  }
  await write(batch);
  await new Promise<void>((resolve, reject) =>
    out.end((err?: Error | null) => (err ? reject(err) : resolve())),
  );
}

/** GB18030 for text that is mostly ASCII: runs of non-ASCII go through the cached encoder. */
function encodeMixed(text: string, encode: (s: string) => Uint8Array): Buffer {
  const parts: Uint8Array[] = [];
  let start = 0;
  let i = 0;
  while (i < text.length) {
    if (text.charCodeAt(i) < 0x80) {
      i++;
      continue;
    }
    if (i > start) parts.push(Buffer.from(text.slice(start, i), 'latin1'));
    let j = i;
    while (j < text.length && text.charCodeAt(j) >= 0x80) j++;
    parts.push(encode(text.slice(i, j)));
    start = i = j;
  }
  if (start < text.length) parts.push(Buffer.from(text.slice(start), 'latin1'));
  return Buffer.concat(parts);
}

function writeXlsx(file: string, rows: number): void {
  const sheet: XlsxCell[][] = [TRAINING_HEADER];
  for (const cells of trainingRows(rows, 7)) {
    // As Excel stores them: 序号 a number, dates that were typed as dates as date-formatted serials.
    const [no, name, id, phone, trained, employer, hired] = cells as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    sheet.push([
      Number(no),
      name,
      id,
      phone,
      asSerial(trained),
      employer.replaceAll('"', '') || null,
      hired ? asSerial(hired) : null,
    ]);
  }
  writeFileSync(file, buildXlsx({ rows: sheet }));
}

function asSerial(text: string): XlsxCell {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  return m ? { serial: Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / 86_400_000 + 25569 } : text;
}

function bundle(dir: string): string {
  const out = path.join(dir, 'roster-bench.mjs');
  const self = fileURLToPath(import.meta.url);
  const esbuild = path.join(path.dirname(self), '..', 'node_modules', '.bin', 'esbuild');
  const r = spawnSync(
    esbuild,
    [
      self,
      '--bundle',
      '--platform=node',
      '--format=esm',
      '--target=node22',
      `--outfile=${out}`,
      '--log-level=warning',
    ],
    { stdio: 'inherit' },
  );
  if (r.status !== 0) throw new Error('esbuild failed');
  return out;
}

function measure(script: string, config: Config, file: string, pin: boolean): Measurement {
  const command = pin ? 'taskset' : process.execPath;
  const argv = pin
    ? ['-c', '0', process.execPath, script, '--child', config, file]
    : [script, '--child', config, file];
  const r = spawnSync(command, argv, { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${config} failed (${r.status}): ${r.stderr}`);
  const last = r.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(last) as Measurement;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

async function parent(args: Args): Promise<void> {
  const dir = path.join(tmpdir(), `laowu-roster-bench-${DATA_VERSION}`);
  mkdirSync(dir, { recursive: true });
  const utf8 = path.join(dir, `training-${args.rows}-utf8bom.csv`);
  const gb = path.join(dir, `training-${args.rows}-gb18030.csv`);
  const xlsx = path.join(dir, `training-${args.xlsxRows}.xlsx`);
  const t0 = performance.now();
  if (args.fresh || !existsSync(utf8)) await writeCsv(utf8, args.rows, false);
  if (args.fresh || !existsSync(gb)) await writeCsv(gb, args.rows, true);
  if (args.xlsxRows > 0 && (args.fresh || !existsSync(xlsx))) writeXlsx(xlsx, args.xlsxRows);
  console.log(
    `data in ${dir} (${((performance.now() - t0) / 1000).toFixed(1)} s): UTF-8+BOM ${mb(statSync(utf8).size)}, ` +
      `GB18030 ${mb(statSync(gb).size)}${args.xlsxRows > 0 ? `, XLSX ${mb(statSync(xlsx).size)}` : ''}`,
  );
  const script = bundle(dir);
  const plan: [Config, string][] = [
    ['read-only', utf8],
    ['baseline', utf8],
    ['decode-utf8', utf8],
    ['decode-gb18030', gb],
    ['verify-utf8', utf8],
    ['verify-gb18030', gb],
    ['verify-utf8-hmac', utf8],
  ];
  if (args.xlsxRows > 0) plan.push(['verify-xlsx', xlsx]);
  const results = new Map<Config, Measurement[]>();
  for (let run = 0; run < args.runs; run++) {
    for (const [config, file] of plan) {
      const m = measure(script, config, file, args.pin);
      results.set(config, [...(results.get(config) ?? []), m]);
    }
    process.stdout.write(`run ${run + 1}/${args.runs} done\n`);
  }
  const baseline = median((results.get('baseline') ?? []).map((m) => m.ms));
  const utf8Full = median((results.get('verify-utf8') ?? []).map((m) => m.ms));
  console.log(
    `\nNode ${process.version}, ${args.pin ? 'pinned to one core (taskset -c 0)' : 'unpinned'}, median of ${args.runs}\n`,
  );
  console.log('| configuration | rows | time (median) | × baseline | peak RSS (max) |');
  console.log('|---|---|---|---|---|');
  for (const [config] of plan) {
    const ms = (results.get(config) ?? []).map((m) => m.ms);
    const rss = Math.max(...(results.get(config) ?? []).map((m) => m.maxRssBytes));
    const rows = config === 'verify-xlsx' ? args.xlsxRows : args.rows;
    const t = median(ms);
    console.log(
      `| ${config} | ${rows.toLocaleString('en')} | ${t.toFixed(0)} ms | ${config === 'verify-xlsx' ? '–' : (t / baseline).toFixed(2)} | ${mb(rss)} |`,
    );
  }
  const gbFull = median((results.get('verify-gb18030') ?? []).map((m) => m.ms));
  console.log(`\nGB18030 / UTF-8 full verification: ${(gbFull / utf8Full).toFixed(2)}×`);
  const sample = results.get('verify-utf8')?.[0]?.summary;
  console.log(`stats (UTF-8): ${JSON.stringify(sample)}`);
  const xs = results.get('verify-xlsx')?.[0]?.summary;
  if (xs) console.log(`stats (XLSX): ${JSON.stringify(xs)}`);
}

const argv = process.argv.slice(2);
if (argv[0] === '--child') await child(argv[1] as Config, argv[2] as string);
else await parent(parseArgs(argv));
