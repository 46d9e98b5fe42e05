/**
 * Discovery benchmark: 1,000 tagged APIM instances across 50 subscriptions (plus untagged ones Resource Graph must
 * filter out), each with a recent backup so that no tick has backups to start. Measures one discovery refresh (Resource
 * Graph requests and pages, any other ARM call, wall ms) and the schedule tick's cost with discovery (refresh due, and
 * not due) against the same 1,000 instances listed in `services` without discovery. Prints JSON.
 *
 *   npx tsx bench/discovery.bench.ts [--instances 1000] [--subscriptions 50] [--untagged 250] [--runs 5]
 */
import { parseArgs } from 'node:util';
import { ContainerClient } from '@azure/storage-blob';
import { parseConfig } from '../src/config/loadConfig';
import { backupName, manifestName } from '../src/domain/backupName';
import { expiresAt } from '../src/domain/expiry';
import { manifestTags, type BackupManifest } from '../src/domain/manifest';
import { canonicalServiceId } from '../src/domain/resourceId';
import { VirtualClock } from '../src/inProcess/hostClock';
import { LocalHost } from '../dev/localHost/LocalHost';
import { startSandbox, type RunningSandbox } from '../dev/sandbox/startSandbox';
import { createServices, type Services } from '../src/services';
import { createLogger } from '../src/telemetry/logger';
import { refreshDiscovery } from '../src/workflows/schedule/refreshDiscovery';
import { fleetSpecs, round, runBenchmark } from './support';

const { values } = parseArgs({
  options: {
    instances: { type: 'string', default: '1000' },
    subscriptions: { type: 'string', default: '50' },
    untagged: { type: 'string', default: '250' },
    runs: { type: 'string', default: '5' },
  },
});
const instances = Number(values.instances);
const subscriptions = Number(values.subscriptions);
const untagged = Number(values.untagged);
const runs = Number(values.runs);
const NOW = new Date('2026-03-01T12:00:00Z');
const TAG = { name: 'apim-dr', value: 'protect' };

async function main() {
  const clock = new VirtualClock(NOW);
  const all = fleetSpecs(instances + untagged, subscriptions);
  const tagged = all.slice(0, instances);
  for (const spec of tagged) spec.tags = { [TAG.name]: TAG.value };
  const sandbox = await startSandbox({ clock, services: all });
  const subscriptionIds = [...new Set(all.map((s) => s.subscriptionId))];
  await seedRecentBackups(
    sandbox,
    tagged.map((s) => canonicalServiceId(s.subscriptionId, s.resourceGroup, s.name)),
  );

  const base = sandbox.config();
  const settings = sandbox.settings;
  const build = (raw: Record<string, unknown>) =>
    createServices(parseConfig(raw), { settings, clock, extraCa: sandbox.caPem, logger: createLogger(() => undefined) });
  const withDiscovery = build({ ...base, services: [], discovery: { subscriptions: subscriptionIds, tag: TAG } });
  const listed = build({ ...base, services: tagged.map((s) => ({ id: canonicalServiceId(s.subscriptionId, s.resourceGroup, s.name) })) });

  // One refresh alone, run after run: what it asks of Resource Graph and of ARM.
  const refreshes: number[] = [];
  let graphRequests = 0;
  let otherArm = 0;
  let found = 0;
  let pages = 0;
  for (let r = 0; r < runs; r++) {
    // Ticks are minutes apart: Resource Graph's quota window (5 s) has always reset by the next one.
    await clock.advance(60_000);
    withDiscovery.fleet.refreshedSinceStart = false;
    const before = sandbox.apim.requests.length;
    const start = performance.now();
    const result = await refreshDiscovery(withDiscovery, `bench-${r}`);
    refreshes.push(performance.now() - start);
    const made = sandbox.apim.requests.slice(before);
    graphRequests = made.filter((q) => q.kind === 'resourcegraph.post').length;
    otherArm = made.length - graphRequests;
    found = result?.found ?? 0;
    pages = withDiscovery.fleet.state?.lastRefresh?.pages ?? 0;
    if (result?.failed) throw new Error(`discovery failed: ${result.failed}`);
  }

  const tickWith = await measureTicks(withDiscovery, clock, sandbox, () => undefined);
  const tickWithRefresh = await measureTicks(withDiscovery, clock, sandbox, () => {
    withDiscovery.fleet.refreshedSinceStart = false;
  });
  const tickWithout = await measureTicks(listed, clock, sandbox, () => undefined);
  await sandbox.close();

  console.log(
    JSON.stringify(
      {
        benchmark: 'discovery',
        instances: { tagged: instances, untagged, subscriptions },
        refresh: {
          found,
          resourceGraphRequests: graphRequests,
          discoveryQueryPages: pages,
          readableSubscriptionsQueries: graphRequests - pages,
          otherArmRequests: otherArm,
          wallMsP50: p50(refreshes),
        },
        tick: {
          withoutDiscovery: tickWithout,
          withDiscoveryRefreshNotDue: tickWith,
          withDiscoveryRefreshDue: tickWithRefresh,
          costOfDiscoveryMsP50: round(tickWith.wallMsP50 - tickWithout.wallMsP50),
          costOfRefreshMsP50: round(tickWithRefresh.wallMsP50 - tickWithout.wallMsP50),
        },
        runs,
      },
      null,
      2,
    ),
  );
}

/** Ticks `runs` times in a local host on these services: wall ms, ARM requests (and Resource Graph's), backups started. */
async function measureTicks(services: Services, clock: VirtualClock, sandbox: RunningSandbox, beforeEach: () => void) {
  const host = await LocalHost.start({ services, clock, port: 0, timers: false });
  const walls: number[] = [];
  let arm = 0;
  let graph = 0;
  try {
    for (let r = 0; r < runs; r++) {
      await clock.advance(60_000);
      beforeEach();
      const before = sandbox.apim.requests.length;
      const start = performance.now();
      await host.invokeTimer('scheduleTick');
      walls.push(performance.now() - start);
      const made = sandbox.apim.requests.slice(before);
      graph = made.filter((q) => q.kind === 'resourcegraph.post').length;
      arm = made.length - graph;
    }
  } finally {
    await host.stop();
  }
  const started = [...host.engine.instances.values()].filter((i) => i.name === 'backupOrchestrator').length;
  return { wallMsP50: p50(walls), armRequests: arm, resourceGraphRequests: graph, backupsStarted: started };
}

/** A succeeded backup an hour old for each instance, written straight to Azurite: nothing is due. */
async function seedRecentBackups(sandbox: RunningSandbox, ids: string[]): Promise<void> {
  const container = new ContainerClient(sandbox.connectionString, 'apim-backups');
  const created = new Date(NOW.getTime() - 3_600_000);
  const queue = [...ids];
  const worker = async () => {
    for (let id = queue.pop(); id; id = queue.pop()) {
      const name = id.split('/').pop()!;
      const blob = backupName(name, created, 'scheduled');
      const manifest: BackupManifest = {
        schemaVersion: 1,
        backupName: blob,
        storageAccount: 'devstoreaccount1',
        container: 'apim-backups',
        serviceId: id,
        trigger: 'scheduled',
        requestedBy: 'bench',
        correlationId: 'bench-seed',
        owner: `bench@${created.toISOString()}`,
        startedAt: created.toISOString(),
        createdAt: created.toISOString(),
        expiresAt: expiresAt(created).toISOString(),
        completedAt: new Date(created.getTime() + 900_000).toISOString(),
        state: 'succeeded',
        blobSize: 64,
      };
      const text = JSON.stringify(manifest);
      await container.getBlockBlobClient(manifestName(blob)).upload(text, Buffer.byteLength(text), { tags: manifestTags(manifest) });
      await container.getBlockBlobClient(blob).upload('x'.repeat(64), 64, { tags: manifestTags(manifest) });
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
}

function p50(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return round(sorted[Math.floor((sorted.length - 1) / 2)]!);
}

runBenchmark(main);
