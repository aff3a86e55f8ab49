/**
 * Lambda start-up budget (shared/notes/performance-budgets.md): every function bundled by esbuild
 * exactly as `LaowuFunction` bundles it (CJS, minified, node22, the SDK included), then
 * - the bundle size (budget ≤ 1 MB with the SDK; the roster-carrying function excepted),
 * - the handler load time in a fresh process pinned to one core, against `node -e 0` measured in the
 *   same run (budget: ≤ 120 ms on this machine kind), medians of interleaved runs.
 *
 *   npm exec -- tsx bench/functions.ts [--runs 7]
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';

const root = path.resolve(import.meta.dirname, '..');
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1] || 7);
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'laowu-bundles-'));
const functions = fs
  .readdirSync(path.join(root, 'functions'))
  .filter((name) => fs.existsSync(path.join(root, 'functions', name, 'handler.ts')));
const pin = fs.existsSync('/usr/bin/taskset') ? ['taskset', '-c', '0'] : [];

const bundles: { name: string; file: string; bytes: number }[] = [];
for (const name of functions) {
  const file = path.join(out, name, 'index.js');
  await build({
    entryPoints: [path.join(root, 'functions', name, 'handler.ts')],
    outfile: file,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    minify: true,
    logLevel: 'silent',
  });
  bundles.push({ name, file, bytes: fs.statSync(file).size });
}

/** Milliseconds for a fresh process to start and run `code`. */
function timeProcess(code: string): number {
  const started = process.hrtime.bigint();
  const [command = process.execPath, ...args] = [...pin, process.execPath, '-e', code];
  execFileSync(command, args, { stdio: 'ignore', env: { ...process.env, AWS_REGION: 'us-east-1' } });
  return Number(process.hrtime.bigint() - started) / 1e6;
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const samples = new Map<string, number[]>([
  ['baseline', []],
  ...bundles.map((b) => [b.name, []] as [string, number[]]),
]);
for (let run = 0; run < runs; run++) {
  samples.get('baseline')?.push(timeProcess('0'));
  for (const bundle of bundles) {
    samples
      .get(bundle.name)
      ?.push(
        timeProcess(
          `const m=require(${JSON.stringify(bundle.file)});if(typeof m.handler!=='function')process.exit(1)`,
        ),
      );
  }
}

const baseline = median(samples.get('baseline') ?? []);
console.log(
  `\nNode ${process.version}, ${pin.length ? 'pinned to one core' : 'unpinned'}, median of ${runs}; \`node -e 0\` = ${baseline.toFixed(0)} ms\n`,
);
console.log('| function | bundle | load (median) | load − node start |');
console.log('|---|---|---|---|');
for (const bundle of bundles) {
  const load = median(samples.get(bundle.name) ?? []);
  console.log(
    `| ${bundle.name} | ${(bundle.bytes / 1024).toFixed(0)} KB | ${load.toFixed(0)} ms | ${(load - baseline).toFixed(0)} ms |`,
  );
}
fs.rmSync(out, { recursive: true, force: true });
