/**
 * Restore benchmark (virtual clock, sandbox, local host): from the HTTP request to the ARM restore POST, our own
 * overhead (wall time of our code and its loopback reads; virtual time, which only waits would add); and after
 * the operation completes, how long until a status check sees it (at most one poll interval) and the restore is
 * verified, with how many status checks; and what each restore costs the Durable backend. Prints JSON.
 *
 *   npx tsx bench/restore.bench.ts [--restores 20]
 */
import { parseArgs } from 'node:util';
import { parseConfig } from '../src/config/loadConfig';
import { VirtualClock } from '../src/inProcess/hostClock';
import type { OrchestrationInstance } from '../src/inProcess/durableEngine';
import { LocalHost } from '../dev/localHost/LocalHost';
import type { RequestRecord } from '../dev/sandbox/ApimSandbox';
import { startSandbox } from '../dev/sandbox/startSandbox';
import { createServices } from '../src/services';
import { createLogger } from '../src/telemetry/logger';
import type { RestoreSummary } from '../src/workflows/restore/types';
import { round, runBenchmark } from './support';

const { values } = parseArgs({ options: { restores: { type: 'string', default: '20' } } });
const restores = Number(values.restores);
const MINUTE = 60_000;
const POLL_MS = MINUTE;
/** Restores of 30-60 minutes, never a whole number of poll intervals, so the lag is not trivially zero. */
const restoreMs = (i: number) => 30 * MINUTE + ((i * 7_919_000) % (30 * MINUTE)) + 13_000;

async function main() {
  const clock = new VirtualClock(new Date('2026-05-01T00:00:00Z'));
  let n = 0;
  const sandbox = await startSandbox({ clock, durationMs: (kind) => (kind === 'backup' ? 2 * MINUTE : restoreMs(n)) });
  const config = parseConfig(sandbox.config({ defaults: { pollInterval: 'PT1M' } }));
  const services = createServices(config, { settings: sandbox.settings, clock, extraCa: sandbox.caPem, logger: createLogger(() => undefined) });
  const host = await LocalHost.start({ services, clock, port: 0, timers: false });
  const post = (path: string, body: unknown) => fetch(`${host.origin}${path}`, { method: 'POST', body: JSON.stringify(body) });
  const done = (id: string) => () => !['Running', 'Pending'].includes(host.engine.instances.get(id)?.runtimeStatus ?? 'Pending');

  const backup = (await (await post('/api/backups', { service: 'contoso-apim-weu' })).json()) as { id: string };
  await clock.runUntil(done(backup.id));

  // The wall time at which each ARM request reached the sandbox.
  const wallAt = new Map<RequestRecord, number>();
  const push = sandbox.apim.requests.push.bind(sandbox.apim.requests);
  sandbox.apim.requests.push = (...records: RequestRecord[]) => {
    for (const r of records) wallAt.set(r, performance.now());
    return push(...records);
  };

  const overheadWall: number[] = [];
  const overheadVirtual: number[] = [];
  const armBeforePost: number[] = [];
  const pollLag: number[] = [];
  const verifyLag: number[] = [];
  const checks: number[] = [];
  const durable: { episodes: number; replayedEvents: number; historyEventsPeak: number }[] = [];
  const counted = new Set<OrchestrationInstance>();
  for (n = 0; n < restores; n++) {
    const first = sandbox.apim.requests.length;
    const virtualStart = clock.now().getTime();
    const wallStart = performance.now();
    const response = await post('/api/restores', {
      source: 'contoso-apim-weu',
      target: 'contoso-apim-neu',
      confirm: 'contoso-apim-neu',
      preRestoreBackup: false,
    });
    if (response.status !== 202) throw new Error(`restore request answered ${response.status}: ${await response.text()}`);
    const { id } = (await response.json()) as { id: string };
    const mine = () => sandbox.apim.requests.slice(first);
    await clock.runUntil(() => mine().some((r) => r.kind === 'restore.post'));
    const posted = mine().find((r) => r.kind === 'restore.post')!;
    overheadWall.push(wallAt.get(posted)! - wallStart);
    overheadVirtual.push(posted.at - virtualStart);
    armBeforePost.push(mine().indexOf(posted));

    await clock.runUntil(done(id));
    const summary = host.engine.instances.get(id)!.output as RestoreSummary;
    if (summary.state !== 'succeeded') throw new Error(`restore ${n} ${summary.state}: ${JSON.stringify(summary.error)}`);
    const endsAt = posted.at + restoreMs(n);
    // Restores are followed by their Azure-AsyncOperation URL (and the Location once, at the end), as ARM names both.
    const statusChecks = mine().filter((r) => r.kind === 'operationstatus.get' || r.kind === 'operation.get');
    const seen = statusChecks.find((r) => r.at >= endsAt)!;
    pollLag.push(seen.at - endsAt);
    verifyLag.push(Date.parse(summary.completedAt!) - endsAt);
    checks.push(statusChecks.length);
    // What this restore cost the Durable backend: its orchestration and the watches it started.
    const family = [...host.engine.instances.values()].filter((i) => (i.instanceId === id || i.instanceId.startsWith(`${id}-`)) && !counted.has(i));
    family.forEach((i) => counted.add(i));
    durable.push({
      episodes: family.reduce((n, i) => n + i.episodes, 0),
      replayedEvents: family.reduce((n, i) => n + i.replayedEvents, 0),
      historyEventsPeak: Math.max(...family.map((i) => i.peakHistory)),
    });
  }
  await host.stop();
  await sandbox.close();

  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))]!;
  console.log(
    JSON.stringify(
      {
        restores,
        pollIntervalMs: POLL_MS,
        requestToRestorePost: {
          wallMsMean: round(mean(overheadWall)),
          wallMsP95: round(p95(overheadWall)),
          virtualMsMax: Math.max(...overheadVirtual),
          armRequestsBeforePost: Math.max(...armBeforePost),
        },
        afterOperationCompletes: {
          pollLagMsMean: round(mean(pollLag)),
          pollLagMsMax: Math.max(...pollLag),
          withinOnePollInterval: Math.max(...pollLag) <= POLL_MS,
          verifiedLagMsMax: Math.max(...verifyLag),
        },
        statusChecksPerRestore: round(mean(checks)),
        durablePerRestore: {
          episodes: round(mean(durable.map((d) => d.episodes))),
          replayedEvents: round(mean(durable.map((d) => d.replayedEvents))),
          historyEventsPeak: Math.max(...durable.map((d) => d.historyEventsPeak)),
        },
      },
      null,
      2,
    ),
  );
}

runBenchmark(main);
