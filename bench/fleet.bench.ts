/**
 * Fleet benchmark (virtual clock): N sandbox instances whose backups take 5-20 minutes, started by the schedule
 * tick with per-subscription concurrency limits. Prints JSON: makespan over the longest backup, ARM requests per
 * backup against the minimum, and history events per orchestration.
 *
 *   npx tsx bench/fleet.bench.ts [--instances 200] [--subscriptions 10] [--limit 20] [--poll PT30S]
 */
import { parseArgs } from 'node:util';
import { parseConfig } from '../src/config/loadConfig';
import { parseDuration } from '../src/domain/duration';
import { canonicalServiceId } from '../src/domain/resourceId';
import { VirtualClock } from '../src/local/hostClock';
import { LocalHost } from '../src/local/LocalHost';
import type { SandboxServiceSpec } from '../src/sandbox/model';
import { startSandbox } from '../src/sandbox/startSandbox';
import { createServices } from '../src/services';
import { createLogger } from '../src/telemetry/logger';
import { round, runBenchmark } from './support';

const { values } = parseArgs({
  options: {
    instances: { type: 'string', default: '200' },
    subscriptions: { type: 'string', default: '10' },
    limit: { type: 'string', default: '20' },
    poll: { type: 'string', default: 'PT30S' },
  },
});
const instances = Number(values.instances);
const subscriptions = Number(values.subscriptions);
const limit = Number(values.limit);
const pollMs = parseDuration(values.poll)!;

/** Deterministic spread of durations over 5-20 minutes, with seconds, so they rarely end on a poll. */
const durationMs = (i: number) => (5 + ((i * 7919) % 15)) * 60_000 + ((i * 104_729) % 60_000);

async function main() {
  const wallStart = performance.now();
  const clock = new VirtualClock(new Date('2026-03-01T00:00:00Z'));
  const specs: SandboxServiceSpec[] = Array.from({ length: instances }, (_, i) => ({
    subscriptionId: `00000000-0000-0000-0000-${String(i % subscriptions).padStart(12, '0')}`,
    resourceGroup: `rg-fleet-${i % subscriptions}`,
    name: `fleet-${String(i).padStart(3, '0')}`,
    location: i % 2 ? 'West Europe' : 'North Europe',
    sku: { name: i % 3 ? 'Premium' : 'Standard', capacity: 1 },
    configuration: { apis: ['a', 'b'], products: ['p'], namedValues: [] },
  }));
  const durations = new Map(specs.map((s, i) => [s.name, durationMs(i)]));
  const sandbox = await startSandbox({ clock, services: specs, durationMs: (_kind, spec) => durations.get(spec.name)! });
  const config = parseConfig({
    ...sandbox.config(),
    defaults: { schedule: '0 0 2 * * *', pollInterval: values.poll, concurrencyPerSubscription: limit },
    services: specs.map((s) => ({ id: canonicalServiceId(s.subscriptionId, s.resourceGroup, s.name) })),
  });
  const services = createServices(config, { settings: sandbox.settings, clock, extraCa: sandbox.caPem, logger: createLogger(() => undefined) });
  const host = await LocalHost.start({ services, clock, port: 0, timers: true });

  // Run until every instance's backup orchestration has finished (or a day of virtual time passes).
  await clock.runUntil(() => {
    const runs = [...host.engine.instances.values()].filter((i) => i.name === 'backupOrchestrator');
    return runs.length >= instances && runs.every((i) => i.runtimeStatus !== 'Running' && i.runtimeStatus !== 'Pending');
  }, 86_400_000);

  const manifests = await Promise.all((await services.catalog.list()).map(async (e) => (await services.catalog.read(e.backupName))!.manifest));
  const started = Math.min(...manifests.map((m) => Date.parse(m.startedAt)));
  const finished = Math.max(...manifests.map((m) => Date.parse(m.completedAt!)));
  const longest = Math.max(...durations.values());

  const perService = (kind: string) => specs.map((s) => sandbox.apim.count(kind, s.name));
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const lroRequests = specs.map((s) => sandbox.apim.count('backup.post', s.name) + sandbox.apim.count('operation.get', s.name));
  const minimum = specs.map((s) => 1 + Math.ceil(durations.get(s.name)! / pollMs));
  const allArm = specs.map((s) => sandbox.apim.requests.filter((r) => r.service === s.name).length);
  const orchestrations = [...host.engine.instances.values()].filter((i) => i.name === 'backupOrchestrator');
  const history = orchestrations.map((o) => o.history.length);

  const result = {
    benchmark: 'fleet-backup',
    instances,
    subscriptions,
    concurrencyPerSubscription: limit,
    pollIntervalSeconds: pollMs / 1000,
    scheduleTickSeconds: 300,
    backupMinutes: { min: round(Math.min(...durations.values()) / 60_000), max: round(longest / 60_000) },
    succeeded: manifests.filter((m) => m.state === 'succeeded').length,
    makespanMinutes: round((finished - started) / 60_000),
    longestBackupMinutes: round(longest / 60_000),
    makespanOverLongest: round((finished - started) / longest, 3),
    armRequestsPerBackup: {
      lro: round(mean(lroRequests)),
      minimum: round(mean(minimum)),
      lroOverMinimum: round(mean(lroRequests) / mean(minimum), 3),
      all: round(mean(allArm)),
      preflightReads: round(
        mean(perService('service.get')) +
          mean(perService('workspacelinks.get')) +
          mean(perService('apis.get')) +
          mean(perService('products.get')) +
          mean(perService('namedvalues.get')),
      ),
    },
    historyEventsPerOrchestration: { mean: round(mean(history)), max: Math.max(...history) },
    episodesPerOrchestration: round(mean(orchestrations.map((o) => o.episodes))),
    activityExecutions: Object.fromEntries(host.engine.activityCalls),
    wallSeconds: round((performance.now() - wallStart) / 1000),
  };
  console.log(JSON.stringify(result, null, 2));
  await host.stop();
  await sandbox.close();
}

runBenchmark(main);
