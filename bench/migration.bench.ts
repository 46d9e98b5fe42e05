/**
 * Migration benchmark (virtual clock, sandbox, local host): ARM requests per in-place migration by kind, against
 * the minimum (each operation's POST and one status check at its end, the reads the dry run, the backups and the
 * verification cannot do without); and the time from the HTTP request to the migrateToStv2 POST, which the
 * pre-migration backup dominates. Prints JSON.
 *
 *   npx tsx bench/migration.bench.ts [--migrations 5]
 */
import { parseArgs } from 'node:util';
import { parseConfig } from '../src/config/loadConfig';
import { VirtualClock } from '../src/inProcess/hostClock';
import { LocalHost } from '../dev/localHost/LocalHost';
import type { RequestRecord } from '../dev/sandbox/ApimSandbox';
import { SAMPLE_SERVICES, startSandbox } from '../dev/sandbox/startSandbox';
import { createServices } from '../src/services';
import { createLogger } from '../src/telemetry/logger';
import type { MigrationSummary } from '../src/workflows/migrate/types';
import { round, runBenchmark } from './support';

const { values } = parseArgs({ options: { migrations: { type: 'string', default: '5' } } });
const migrations = Number(values.migrations);
const MINUTE = 60_000;
const POLL_MS = 30_000;
const BACKUP_MS = 3 * MINUTE;
/** Migrations of 40-50 minutes (Microsoft: about 45), never a whole number of poll intervals. */
const migrationMs = (i: number) => 40 * MINUTE + ((i * 7_919_000) % (10 * MINUTE)) + 7_000;

/**
 * Requests no in-place migration can do without: the dry run reads the instance and its workspace links; each of
 * the two backups reads both as well (readiness), POSTs, checks once at the end and counts APIs, products and
 * named values; the migration POSTs and checks once; verification reads the instance and counts again.
 */
const MINIMUM = { dryRun: 2, backups: 2 * (2 + 1 + 1 + 3), migration: 2, verification: 1 + 3 };

async function main() {
  const clock = new VirtualClock(new Date('2026-05-01T00:00:00Z'));
  let n = 0;
  const specs = Array.from({ length: migrations }, (_, i) => ({ ...SAMPLE_SERVICES[2]!, name: `legacy-${i}`, resourceGroup: `rg-legacy-${i}` }));
  const sandbox = await startSandbox({ clock, services: specs, durationMs: (kind) => (kind === 'migrate' ? migrationMs(n) : BACKUP_MS) });
  const config = parseConfig(sandbox.config({ defaults: { pollInterval: `PT${POLL_MS / 1000}S` } }));
  const services = createServices(config, { settings: sandbox.settings, clock, extraCa: sandbox.caPem, logger: createLogger(() => undefined) });
  const host = await LocalHost.start({ services, clock, port: 0, timers: false });

  const perKind: Record<string, number[]> = {};
  const total: number[] = [];
  const requestToPost: number[] = [];
  const preBackup: number[] = [];
  for (n = 0; n < migrations; n++) {
    const name = `legacy-${n}`;
    const first = sandbox.apim.requests.length;
    const requestedAt = clock.now().getTime();
    const response = await fetch(`${host.origin}/api/migrations`, { method: 'POST', body: JSON.stringify({ service: name, confirm: name }) });
    if (response.status !== 202) throw new Error(`migration request answered ${response.status}: ${await response.text()}`);
    const { id } = (await response.json()) as { id: string };
    await clock.runUntil(() => !['Running', 'Pending'].includes(host.engine.instances.get(id)?.runtimeStatus ?? 'Pending'));
    const summary = host.engine.instances.get(id)!.output as MigrationSummary;
    if (summary.state !== 'succeeded') throw new Error(`migration ${n} ${summary.state}: ${JSON.stringify(summary.error ?? summary.findings)}`);
    const mine: RequestRecord[] = sandbox.apim.requests.slice(first);
    for (const r of mine) (perKind[r.kind] ??= Array.from({ length: migrations }, () => 0))[n]! += 1;
    total.push(mine.length);
    requestToPost.push(mine.find((r) => r.kind === 'migratetostv2.post')!.at - requestedAt);
    preBackup.push(summary.durations!.preMigrationBackupMs!);
  }
  await host.stop();
  await sandbox.close();

  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const minimum = Object.values(MINIMUM).reduce((a, b) => a + b, 0);
  const polls = (ms: number) => Math.ceil(ms / POLL_MS);
  console.log(
    JSON.stringify(
      {
        migrations,
        pollIntervalMs: POLL_MS,
        backupMs: BACKUP_MS,
        armRequestsPerMigration: {
          mean: round(mean(total)),
          byKind: Object.fromEntries(Object.entries(perKind).map(([kind, counts]) => [kind, round(mean(counts))])),
          minimum,
          minimumBreakdown: MINIMUM,
          // What polling every POLL_MS adds to the minimum: a status check per interval of each operation.
          minimumWithPolling: round(minimum - 3 + mean(Array.from({ length: migrations }, (_, i) => polls(migrationMs(i)) + 2 * polls(BACKUP_MS)))),
        },
        requestToMigratePost: {
          virtualMsMean: round(mean(requestToPost)),
          virtualMsMax: Math.max(...requestToPost),
          preMigrationBackupMsMean: round(mean(preBackup)),
        },
      },
      null,
      2,
    ),
  );
}

runBenchmark(main);
