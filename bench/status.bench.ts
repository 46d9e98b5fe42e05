/**
 * Status benchmark: a fleet (1,000 instances in 50 subscriptions by default) with 30 days of daily backups in
 * Azurite: about 30,000 backups and 60,000 blobs, 1% of them failed, and some backups running in the local host.
 * It measures `GET /api/status`, `GET /api/dashboard` and a schedule tick on that catalog: wall ms p50/p95 on this
 * machine, storage requests (counted by a proxy in front of Azurite), Durable API calls and response bytes; and,
 * in the same run, a plain listing of the container as the baseline. Prints JSON.
 *
 *   npx tsx bench/status.bench.ts [--instances 1000] [--subscriptions 50] [--days 30] [--running 20] [--runs 10]
 */
import { parseArgs } from 'node:util';
import { ContainerClient } from '@azure/storage-blob';
import { parseConfig } from '../src/config/loadConfig';
import { canonicalServiceId } from '../src/domain/resourceId';
import { VirtualClock } from '../src/inProcess/hostClock';
import { LocalHost } from '../dev/localHost/LocalHost';
import { startSandbox } from '../dev/sandbox/startSandbox';
import { createServices } from '../src/services';
import { createLogger } from '../src/telemetry/logger';
import { countingProxy, pool } from './countingProxy';
import { seedBackup } from './seedBackup';
import { fleetSpecs, round, runBenchmark } from './support';

const { values } = parseArgs({
  options: {
    instances: { type: 'string', default: '1000' },
    subscriptions: { type: 'string', default: '50' },
    days: { type: 'string', default: '30' },
    running: { type: 'string', default: '20' },
    runs: { type: 'string', default: '10' },
  },
});
const instances = Number(values.instances);
const subscriptions = Number(values.subscriptions);
const days = Number(values.days);
const running = Number(values.running);
const runs = Number(values.runs);

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const NOW = new Date('2026-06-30T12:00:00Z');
/** Daily backups at 02:00; one in a hundred failed. */
const failed = (i: number, d: number) => (i * 31 + d * 7) % 100 === 0;

async function main() {
  const clock = new VirtualClock(NOW);
  const specs = fleetSpecs(instances, subscriptions);
  // The running backups take three hours: they are still running while status is measured.
  const sandbox = await startSandbox({ clock, services: specs, durationMs: () => 3 * 60 * MINUTE });
  const azurite = new URL(sandbox.blobEndpoint);
  const proxy = await countingProxy(azurite);
  const viaProxy = (text: string) => text.split(azurite.origin).join(proxy.origin);
  const base = sandbox.config();
  const config = parseConfig(
    JSON.parse(
      viaProxy(
        JSON.stringify({
          ...base,
          defaults: { schedule: '0 0 2 * * *', rpo: 'P1DT1H', pollInterval: 'PT1M', concurrencyPerSubscription: 20 },
          services: specs.map((s) => ({ id: canonicalServiceId(s.subscriptionId, s.resourceGroup, s.name) })),
        }),
      ),
    ),
  );
  const settings = Object.fromEntries(Object.entries(sandbox.settings).map(([k, v]) => [k, viaProxy(v)]));
  const services = createServices(config, { settings, clock, extraCa: sandbox.caPem, logger: createLogger(() => undefined) });
  const host = await LocalHost.start({ services, clock, port: 0, timers: false });

  // The catalog: 30 days of daily backups per instance, written straight to Azurite.
  const seedStart = performance.now();
  const container = new ContainerClient(sandbox.connectionString, config.storage.container);
  const state = new ContainerClient(sandbox.connectionString, config.storage.stateContainer);
  const seeds = specs.flatMap((s, i) => Array.from({ length: days }, (_, d) => ({ s, i, d })));
  await pool(seeds, 32, async ({ s, i, d }) => {
    const created = new Date(Date.UTC(2026, 5, 30, 2) - d * DAY + ((i * 7) % 60) * 1_000);
    await seedBackup(container, state, {
      storage: config.storage,
      service: { id: canonicalServiceId(s.subscriptionId, s.resourceGroup, s.name), name: s.name },
      createdAt: created,
      durationMs: (15 + (i % 6)) * MINUTE,
      failed: failed(i, d),
      blobSize: 2_048,
    });
  });
  const seedSeconds = (performance.now() - seedStart) / 1000;

  // Some backups running in the host, a minute into their three hours.
  for (const s of specs.slice(0, running)) {
    const answer = await fetch(`${host.origin}/api/backups`, { method: 'POST', body: JSON.stringify({ service: s.name }) });
    if (answer.status !== 202) throw new Error(`backup of ${s.name} answered ${answer.status}`);
  }
  await clock.advance(MINUTE);

  const backups = (await services.catalog.list()).length;
  const measure = async (what: () => Promise<number>) => {
    const walls: number[] = [];
    let bytes = 0;
    let storage: Record<string, number> = {};
    let durable: Record<string, number> = {};
    for (let r = 0; r < runs; r++) {
      proxy.counts.clear();
      host.engine.apiCalls.clear();
      const start = performance.now();
      bytes = await what();
      walls.push(performance.now() - start);
      storage = Object.fromEntries(proxy.counts);
      durable = Object.fromEntries(host.engine.apiCalls);
    }
    walls.sort((a, b) => a - b);
    const at = (q: number) => round(walls[Math.min(walls.length - 1, Math.ceil(q * walls.length) - 1)]!);
    const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
    return { wallMsP50: at(0.5), wallMsP95: at(0.95), storageRequests: total(storage), storage, durableCalls: total(durable), durable, bytes };
  };
  const get = (path: string) => async () => {
    const answer = await fetch(`${host.origin}${path}`);
    const text = await answer.text();
    if (answer.status !== 200) throw new Error(`${path} answered ${answer.status}: ${text.slice(0, 300)}`);
    return Buffer.byteLength(text);
  };

  // The baseline: every blob of the container with its tags, as the catalog lists it, and nothing else.
  const listing = await measure(async () => {
    const client = new ContainerClient(viaProxy(sandbox.connectionString), config.storage.container);
    let n = 0;
    for await (const blob of client.listBlobsFlat({ includeTags: true })) n += blob.name.length;
    return n;
  });
  const status = await measure(get('/api/status'));
  const dashboard = await measure(get('/api/dashboard'));
  const body = (await (await fetch(`${host.origin}/api/status`)).json()) as {
    summary: Record<string, number>;
    instances: { lastFailure?: unknown; running?: unknown }[];
  };
  // Last: the tick may start backups (an instance whose newest backup failed is retried while its RPO allows).
  const tick = await measure(async () => {
    await host.invokeTimer('scheduleTick');
    return 0;
  });

  console.log(
    JSON.stringify(
      {
        benchmark: 'fleet-status',
        instances,
        subscriptions,
        days,
        catalog: { backups, failed: seeds.filter(({ i, d }) => failed(i, d)).length, running, seedSeconds: round(seedSeconds) },
        shown: {
          summary: body.summary,
          failuresShown: body.instances.filter((i) => i.lastFailure).length,
          runningShown: body.instances.filter((i) => i.running).length,
        },
        listing,
        status: { ...status, p95OverListingP95: round(status.wallMsP95 / listing.wallMsP95) },
        dashboard: { ...dashboard, p95OverListingP95: round(dashboard.wallMsP95 / listing.wallMsP95) },
        scheduleTick: tick,
      },
      null,
      2,
    ),
  );
  await host.stop();
  await proxy.close();
  await sandbox.close();
}

runBenchmark(main);
