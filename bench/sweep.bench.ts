/**
 * Sweep benchmark: N catalogued backups (manifest + blob, with index tags) in Azurite, swept by the real sweep
 * orchestration in the local engine (virtual clock), which enforces the Durable Task Scheduler's 1 MiB payload limit.
 * Prints the largest Durable payload seen (goal: under 256 KB), the storage requests used and where they went.
 *
 *   npx tsx bench/sweep.bench.ts [--entries 100000] [--services 50] [--expired-share 0.033]
 */
import http from 'node:http';
import { parseArgs } from 'node:util';
import { parseConfig } from '../src/config/loadConfig';
import { canonicalServiceId } from '../src/domain/resourceId';
import { VirtualClock } from '../src/inProcess/hostClock';
import { LocalHost } from '../dev/localHost/LocalHost';
import { startSandbox } from '../dev/sandbox/startSandbox';
import { createServices } from '../src/services';
import { createLogger } from '../src/telemetry/logger';
import type { SweepSummary } from '../src/workflows/sweep/types';
import { SEED_SUBSCRIPTION, seedCatalog } from './seedCatalog';
import { round, runBenchmark } from './support';

const { values } = parseArgs({
  options: {
    entries: { type: 'string', default: '100000' },
    services: { type: 'string', default: '50' },
    'expired-share': { type: 'string', default: '0.033' },
  },
});
const entries = Number(values.entries);
const serviceCount = Number(values.services);
const expiredShare = Number(values['expired-share']);

// Counts every HTTP request this process makes (the storage SDK uses node:http for Azurite), by method.
let requests = 0;
const byMethod = new Map<string, number>();
const originalRequest = http.request;
(http as { request: typeof http.request }).request = ((...args: Parameters<typeof http.request>) => {
  requests += 1;
  const options = args.find((a) => typeof a === 'object' && a !== null && !(a instanceof URL)) as { method?: string } | undefined;
  const method = options?.method ?? 'GET';
  byMethod.set(method, (byMethod.get(method) ?? 0) + 1);
  return originalRequest(...args);
}) as typeof http.request;

async function main() {
  const now = new Date('2026-06-01T00:00:00Z');
  const clock = new VirtualClock(now);
  const sandbox = await startSandbox({ clock, services: [] });
  const names = Array.from({ length: serviceCount }, (_, i) => `svc-${String(i).padStart(3, '0')}`);
  const config = parseConfig({
    ...sandbox.config(),
    services: names.map((n) => ({ id: canonicalServiceId(SEED_SUBSCRIPTION, 'rg', n) })),
  });
  const services = createServices(config, { settings: sandbox.settings, clock, extraCa: sandbox.caPem, logger: createLogger(() => undefined) });

  const seedStart = performance.now();
  await seedCatalog(sandbox.container(), services, { entries, names, now, expiredShare });
  const seedSeconds = (performance.now() - seedStart) / 1000;

  const host = await LocalHost.start({ services, clock, port: 0, timers: false });
  requests = 0;
  byMethod.clear();
  const sweepStart = performance.now();
  host.engine.start('sweepOrchestrator', 'bench-sweep', { dryRun: false, requestedBy: 'bench' });
  await clock.runUntil(() => !['Running', 'Pending'].includes(host.engine.instances.get('bench-sweep')?.runtimeStatus ?? 'Running'), 86_400_000);
  const sweepMs = performance.now() - sweepStart;
  const instance = host.engine.instances.get('bench-sweep')!;
  if (instance.runtimeStatus !== 'Completed') throw new Error(`sweep ${instance.runtimeStatus}: ${String(instance.output)}`);
  const summary = instance.output as SweepSummary;
  const remaining = (await services.catalog.list()).length;

  console.log(
    JSON.stringify(
      {
        benchmark: 'expiry-sweep',
        entries,
        services: serviceCount,
        planned: summary.planned,
        applied: summary.applied,
        workPages: summary.workPages,
        remainingEntries: remaining,
        largestPayload: { ...host.engine.largestPayload, kb: round(host.engine.largestPayload.bytes / 1024, 1), goalKb: 256, limitKb: 1024 },
        sweep: {
          ms: round(sweepMs),
          storageRequests: requests,
          byMethod: Object.fromEntries(byMethod),
          perEntry: round(requests / entries, 4),
          activityExecutions: Object.fromEntries(host.engine.activityCalls),
          orchestratorEpisodes: instance.episodes,
          peakHistory: instance.peakHistory,
        },
        seedSeconds: round(seedSeconds),
      },
      null,
      2,
    ),
  );
  await host.stop();
  await sandbox.close();
}

runBenchmark(main);
