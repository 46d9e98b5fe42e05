/**
 * Fleet benchmark (virtual clock): N sandbox instances whose backups take 5-20 minutes, started by the schedule
 * tick with per-subscription concurrency limits. Prints JSON: makespan over the longest backup, ARM requests per
 * backup against the minimum, what each backup costs the Durable backend (history events, episodes, events
 * replayed, over the backup orchestration and the orchestrations it starts), wall time and peak RSS, and where
 * the memory goes. With `--failing N`, every start of the first N instances' backups has its connection reset on
 * the way to the Durable API (the `read ECONNRESET` that once failed a whole tick): the tick must record them and
 * start every other backup, and the makespan is then over the backups that could start.
 *
 *   npx tsx bench/fleet.bench.ts [--instances 200] [--subscriptions 10] [--limit 20] [--poll PT30S] [--failing 0]
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { parseArgs } from 'node:util';
import { parseConfig } from '../src/config/loadConfig';
import { parseDuration } from '../src/domain/duration';
import { canonicalServiceId } from '../src/domain/resourceId';
import { VirtualClock } from '../src/inProcess/hostClock';
import type { OrchestrationInstance } from '../src/inProcess/durableEngine';
import { LocalHost } from '../dev/localHost/LocalHost';
import { startSandbox } from '../dev/sandbox/startSandbox';
import { createServices } from '../src/services';
import { createLogger } from '../src/telemetry/logger';
import { fleetSpecs, round, runBenchmark } from './support';

const { values } = parseArgs({
  options: {
    instances: { type: 'string', default: '200' },
    subscriptions: { type: 'string', default: '10' },
    limit: { type: 'string', default: '20' },
    poll: { type: 'string', default: 'PT30S' },
    failing: { type: 'string', default: '0' },
  },
});
const instances = Number(values.instances);
const subscriptions = Number(values.subscriptions);
const limit = Number(values.limit);
const pollMs = parseDuration(values.poll)!;
const failing = Number(values.failing);

/** Deterministic spread of durations over 5-20 minutes, with seconds, so they rarely end on a poll. */
const durationMs = (i: number) => (5 + ((i * 7919) % 15)) * 60_000 + ((i * 104_729) % 60_000);

/**
 * Resets the connection of every Durable API start of these instances' backups, before the host sees it. The host's
 * HTTP server is private: the benchmark reaches it by reflection rather than give the product a fault hook.
 */
function resetStartsOf(host: LocalHost, names: readonly string[]): void {
  if (names.length === 0) return;
  const server = Reflect.get(host, 'server') as Server;
  const handlers = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (req.method === 'POST' && names.some((name) => req.url?.includes(`/backup-${name}-`))) req.socket.destroy();
    else handlers.forEach((handle) => handle(req, res));
  });
}

/** The ticks' log lines (started, failed): the proof that a tick with a failing instance went on to its end. */
const ticks: Record<string, unknown>[] = [];
const keepTicks = (record: Record<string, unknown>) => {
  if (record['event'] === 'apim-dr.schedule.tick' && Number(record['due']) > 0)
    ticks.push({ at: record['time'], due: record['due'], started: record['started'], failed: record['failed'] });
};

async function main() {
  const wallStart = performance.now();
  const clock = new VirtualClock(new Date('2026-03-01T00:00:00Z'));
  const specs = fleetSpecs(instances, subscriptions);
  const durations = new Map(specs.map((s, i) => [s.name, durationMs(i)]));
  const sandbox = await startSandbox({ clock, services: specs, durationMs: (_kind, spec) => durations.get(spec.name)! });
  const config = parseConfig({
    ...sandbox.config(),
    defaults: { schedule: '0 0 2 * * *', pollInterval: values.poll, concurrencyPerSubscription: limit },
    services: specs.map((s) => ({ id: canonicalServiceId(s.subscriptionId, s.resourceGroup, s.name) })),
  });
  const services = createServices(config, { settings: sandbox.settings, clock, extraCa: sandbox.caPem, logger: createLogger(keepTicks) });
  const failingNames = specs.slice(0, failing).map((s) => s.name);
  const host = await LocalHost.start({ services, clock, port: 0, timers: true });
  resetStartsOf(host, failingNames);
  const rssAtStart = process.memoryUsage().rss;

  // Run until every instance's backup orchestration has finished (or a day of virtual time passes), looking at
  // most once a virtual minute: the makespan comes from the manifests, so this only decides when to stop.
  let lookAt = 0;
  await clock.runUntil(() => {
    if (clock.now().getTime() < lookAt) return false;
    lookAt = clock.now().getTime() + 60_000;
    const runs = [...host.engine.instances.values()].filter((i) => i.name === 'backupOrchestrator');
    return runs.length >= instances - failing && runs.every((i) => i.runtimeStatus !== 'Running' && i.runtimeStatus !== 'Pending');
  }, 86_400_000);

  const wallSeconds = (performance.now() - wallStart) / 1000;
  const manifests = await Promise.all((await services.catalog.list()).map(async (e) => (await services.catalog.read(e.backupName))!.manifest));
  const succeeded = manifests.filter((m) => m.state === 'succeeded');
  const started = Math.min(...succeeded.map((m) => Date.parse(m.startedAt)));
  const finished = Math.max(...succeeded.map((m) => Date.parse(m.completedAt!)));
  const longest = Math.max(...[...durations].filter(([name]) => !failingNames.includes(name)).map(([, ms]) => ms));

  // Means over the instances, from one pass over the sandbox's request log each.
  const perInstance = (kind: string) => sandbox.apim.count(kind) / instances;
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const lroRequests = perInstance('backup.post') + perInstance('operation.get');
  const minimum = mean(specs.map((s) => 1 + Math.ceil(durations.get(s.name)! / pollMs)));
  const allArm = sandbox.apim.instanceRequests / instances;
  const all = [...host.engine.instances.values()];
  const orchestrations = all.filter((i) => i.name === 'backupOrchestrator');
  // A backup's cost on the Durable backend: its own orchestration and every one it started (IDs it prefixes),
  // found by looking each instance's ID prefixes up (linear in the instances, not one scan per backup).
  const families = new Map(orchestrations.map((o) => [o.instanceId, [] as OrchestrationInstance[]]));
  for (const c of all) {
    for (let cut = c.instanceId.length; cut > 0; cut = c.instanceId.lastIndexOf('-', cut - 1)) {
      const family = families.get(c.instanceId.slice(0, cut));
      if (family) {
        family.push(c);
        break;
      }
    }
  }
  const perBackup = (f: (o: OrchestrationInstance) => number) => orchestrations.map((o) => families.get(o.instanceId)!.reduce((n, c) => n + f(c), 0));
  const peakHistory = all.filter((c) => c.name !== 'sweepOrchestrator').map((c) => c.peakHistory);
  const memory = process.memoryUsage();

  const result = {
    benchmark: 'fleet-backup',
    instances,
    subscriptions,
    concurrencyPerSubscription: limit,
    pollIntervalSeconds: pollMs / 1000,
    scheduleTickSeconds: 300,
    backupMinutes: { min: round(Math.min(...durations.values()) / 60_000), max: round(longest / 60_000) },
    failingInstances: failing,
    succeeded: succeeded.length,
    notSucceeded: manifests.filter((m) => m.state !== 'succeeded').map((m) => `${m.backupName}: ${m.state}`),
    firstTicksWithWork: ticks.slice(0, 3),
    makespanMinutes: round((finished - started) / 60_000),
    longestBackupMinutes: round(longest / 60_000),
    makespanOverLongest: round((finished - started) / longest, 3),
    armRequestsPerBackup: {
      lro: round(lroRequests),
      minimum: round(minimum),
      lroOverMinimum: round(lroRequests / minimum, 3),
      all: round(allArm),
      preflightReads: round(['service.get', 'workspacelinks.get', 'apis.get', 'products.get', 'namedvalues.get'].reduce((n, kind) => n + perInstance(kind), 0)),
    },
    durablePerBackup: {
      orchestrations: round(mean(perBackup(() => 1))),
      // As the Durable Task Scheduler bills them (starts, activities and their results, timers, events).
      actions: round(mean(perBackup((o) => o.actions))),
      historyEventsPeak: Math.max(...peakHistory),
      episodes: round(mean(perBackup((o) => o.episodes))),
      replayedEvents: round(mean(perBackup((o) => o.replayedEvents))),
      replayedEventsMax: Math.max(...perBackup((o) => o.replayedEvents)),
    },
    activityExecutions: Object.fromEntries(host.engine.activityCalls),
    wallSeconds: round(wallSeconds),
    peakRssMb: round(process.resourceUsage().maxRSS / 1024),
    rssAtStartMb: round(rssAtStart / 2 ** 20),
    memoryAtEndMb: {
      rss: round(memory.rss / 2 ** 20),
      heapTotal: round(memory.heapTotal / 2 ** 20),
      heapUsed: round(memory.heapUsed / 2 ** 20),
      external: round(memory.external / 2 ** 20),
      arrayBuffers: round(memory.arrayBuffers / 2 ** 20),
    },
    retained: {
      orchestrationsKept: all.length,
      historyEventsKept: all.reduce((n, c) => n + c.history.length, 0),
      historyMbAsJson: round(all.reduce((n, c) => n + JSON.stringify(c.history).length, 0) / 2 ** 20),
      armRequestsLogged: sandbox.apim.requests.length,
    },
  };
  console.log(JSON.stringify(result, null, 2));
  await host.stop();
  await sandbox.close();
}

runBenchmark(main);
