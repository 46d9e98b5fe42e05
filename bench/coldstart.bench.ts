/**
 * Cold start: how long a fresh Node process takes to load `package.json`'s `main` with the Functions worker's module
 * supplied — what the host waits for before it indexes the functions — against the floor of `@azure/functions` and
 * `durable-functions` alone, and what the first invocation that reaches ARM and storage adds (the SDKs load on use).
 *
 * `npm run build && npx tsx bench/coldstart.bench.ts [--dir .deploy/app] [--runs 10]`. Prints JSON.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { writeWorkerStandIn } from '../dev/functionsWorker/workerStandIn';
import { round, runBenchmark } from './support';

const root = path.resolve(__dirname, '..');
// The worker supplies `@azure/functions-core`; the repository's stand-in (needing nothing but Node) is on NODE_PATH.
const WORKER_PATH = writeWorkerStandIn(mkdtempSync(path.join(tmpdir(), 'apim-dr-worker-')));

interface Sample {
  ms: number;
  modules: number;
}

/** Runs `body` in a fresh Node process in `dir`; the process reports the time `body` took and the modules loaded. */
function sample(dir: string, body: string): Sample {
  const script = `
const started = process.hrtime.bigint();
${body}
const ms = Number(process.hrtime.bigint() - started) / 1e6;
console.log(JSON.stringify({ ms, modules: Object.keys(require.cache).length }));`;
  const out = execFileSync(process.execPath, ['-e', script], { cwd: dir, encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '', NODE_PATH: WORKER_PATH } });
  return JSON.parse(out.trim().split('\n').pop()!) as Sample;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function measure(dir: string, body: string, runs: number): { medianMs: number; modules: number } {
  const samples = Array.from({ length: runs }, () => sample(dir, body));
  return { medianMs: round(median(samples.map((s) => s.ms)), 1), modules: samples[0]!.modules };
}

function main(): Promise<void> {
  const { values } = parseArgs({ options: { dir: { type: 'string', default: '.' }, runs: { type: 'string', default: '10' } } });
  const dir = path.resolve(root, values.dir);
  const runs = Number(values.runs);
  const main = (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { main: string }).main;
  const floor = measure(dir, `require('@azure/functions'); require('durable-functions');`, runs);
  const indexing = measure(dir, `require(require('node:path').resolve(${JSON.stringify(main)}));`, runs);
  // The first invocation that reaches ARM and storage loads the SDKs the entry point defers.
  const firstUse = measure(
    dir,
    `require(require('node:path').resolve(${JSON.stringify(main)})); require('@azure/arm-apimanagement'); require('@azure/storage-blob'); require('@azure/identity');`,
    runs,
  );
  console.log(
    JSON.stringify(
      {
        dir: path.relative(root, dir) || '.',
        runs,
        floor,
        indexing: { ...indexing, overFloor: round(indexing.medianMs / floor.medianMs) },
        firstUse: { ...firstUse, overFloor: round(firstUse.medianMs / floor.medianMs) },
      },
      null,
      2,
    ),
  );
  rmSync(WORKER_PATH, { recursive: true, force: true });
  return Promise.resolve();
}

runBenchmark(main);
