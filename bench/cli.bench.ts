/**
 * CLI start-up benchmark, on the compiled bin as `npx apim-dr` runs it: a fresh process to `--help` (goal ≤ 300 ms),
 * and `status` on the demo (goal ≤ 1 s) through the demo's app (remote, the default) and in this process
 * (`--break-glass`), each the median of several runs, next to the floor of a bare `node` process. Prints JSON.
 *
 *   npm run build && npx tsx bench/cli.bench.ts [--runs 7]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { round, runBenchmark } from './support';

const BIN = resolve(__dirname, '../bin/apim-dr.js');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '7' } } });
const runs = Number(values.runs);

function timed(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const started = process.hrtime.bigint();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, { env: { PATH: process.env['PATH'], ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`${args.join(' ')} exited ${code}: ${stderr}`));
      resolvePromise(Number(process.hrtime.bigint() - started) / 1e6);
    });
  });
}

async function median(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ medianMs: number; minMs: number; maxMs: number }> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await timed(args, env));
  times.sort((a, b) => a - b);
  return { medianMs: round(times[Math.floor(times.length / 2)]!, 0), minMs: round(times[0]!, 0), maxMs: round(times[times.length - 1]!, 0) };
}

async function main() {
  const demoFile = join(mkdtempSync(join(tmpdir(), 'apim-dr-bench-')), 'demo.json');
  const env = { APIM_DR_DEMO_FILE: demoFile };
  const floor = await median(['-e', '0']);
  const help = await median([BIN, '--help']);
  const host = spawn(process.execPath, [BIN, 'host', '--port', '0'], { env: { PATH: process.env['PATH'], ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    await new Promise<void>((resolveReady, reject) => {
      let seen = '';
      host.stdout.on('data', (d: Buffer) => {
        seen += d.toString();
        // Past the first tick's backups, so that status has a catalog to read.
        if ((seen.match(/apim-dr\.backup\.succeeded/g) ?? []).length >= 3) resolveReady();
      });
      host.once('close', () => reject(new Error(`the demo exited: ${seen}`)));
    });
    const remote = await median([BIN, 'status'], env);
    const inProcess = await median([BIN, 'status', '--break-glass'], env);
    console.log(
      JSON.stringify(
        {
          runs,
          nodeFloorMs: floor.medianMs,
          helpMs: help,
          statusRemoteMs: remote,
          statusInProcessMs: inProcess,
          goals: { helpMs: 300, statusMs: 1000 },
          overFloorMs: {
            help: round(help.medianMs - floor.medianMs, 0),
            statusRemote: round(remote.medianMs - floor.medianMs, 0),
            statusInProcess: round(inProcess.medianMs - floor.medianMs, 0),
          },
        },
        null,
        2,
      ),
    );
  } finally {
    host.kill('SIGINT');
  }
}

runBenchmark(main);
