/**
 * History benchmark: does a tick, a status request, a dashboard view and a sweep cost more as history accumulates?
 * Seeds `--days` days of hourly backups for `--instances` instances straight into Azurite (manifest + blob, with
 * index tags, 1% failed), optionally a standby for each with `--records` restore records, then measures one of each
 * through the local host: storage requests (a counting proxy in front of Azurite) and bytes, Durable actions (as
 * the Durable Task Scheduler bills them) and Durable API calls, process CPU time (Azurite and the sandbox run in
 * this process too) and wall time; and what a worker that has not read the catalog index yet pays to read it. Prints JSON. Run it once per point; compare the points.
 *
 *   npx tsx bench/history.bench.ts [--instances 100] [--days 1] [--standby] [--records 3]
 */
import { parseArgs } from 'node:util';
import { ContainerClient } from '@azure/storage-blob';
import { parseConfig } from '../src/config/loadConfig';
import { backupName } from '../src/domain/backupName';
import { canonicalServiceId } from '../src/domain/resourceId';
import { restoreRecordName, type RestoreRecord } from '../src/domain/restoreRecord';
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
    instances: { type: 'string', default: '100' },
    days: { type: 'string', default: '1' },
    standby: { type: 'boolean', default: false },
    records: { type: 'string', default: '3' },
  },
});
const instances = Number(values.instances);
const days = Number(values.days);
const withStandby = values.standby;
const recordsPerStandby = Number(values.records);

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Twenty minutes past the hour: the newest backups (on the hour, 12-17 minutes long) have finished, the next is not due. */
const NOW = new Date('2026-06-30T11:20:00Z');
const failed = (i: number, h: number) => (i * 31 + h * 7) % 100 === 0;

async function main() {
  const clock = new VirtualClock(NOW);
  const specs = fleetSpecs(instances, 5);
  const standbys = specs.map((s) => ({ ...s, name: s.name.replace('fleet-', 'standby-'), location: 'Sweden Central' }));
  const sandbox = await startSandbox({ clock, services: withStandby ? [...specs, ...standbys] : specs, durationMs: () => 15 * MINUTE });
  const azurite = new URL(sandbox.blobEndpoint);
  const proxy = await countingProxy(azurite);
  const viaProxy = (text: string) => text.split(azurite.origin).join(proxy.origin);
  const idOf = (s: { subscriptionId: string; resourceGroup: string; name: string }) => canonicalServiceId(s.subscriptionId, s.resourceGroup, s.name);
  const config = parseConfig(
    JSON.parse(
      viaProxy(
        JSON.stringify({
          ...sandbox.config(),
          defaults: { schedule: '0 0 * * * *', rpo: 'PT2H', pollInterval: 'PT1M', concurrencyPerSubscription: 20 },
          services: specs.map((s, i) => ({
            id: idOf(s),
            ...(withStandby ? { standbys: [{ id: idOf(standbys[i]!), sync: 'after-backup' }] } : {}),
          })),
        }),
      ),
    ),
  );
  const settings = Object.fromEntries(Object.entries(sandbox.settings).map(([k, v]) => [k, viaProxy(v)]));
  const services = createServices(config, { settings, clock, extraCa: sandbox.caPem, logger: createLogger(() => undefined) });
  const host = await LocalHost.start({ services, clock, port: 0, timers: false });

  // The catalog: hourly backups on the hour (12-17 minutes each), written straight to Azurite.
  const seedStart = performance.now();
  const container = new ContainerClient(sandbox.connectionString, config.storage.container);
  const state = new ContainerClient(sandbox.connectionString, config.storage.stateContainer);
  const hours = days * 24;
  const newestHour = Date.UTC(2026, 5, 30, 11);
  const seeds = specs.flatMap((s, i) => Array.from({ length: hours }, (_, h) => ({ s, i, h })));
  const newestOf = new Map<string, string>();
  await pool(seeds, 48, async ({ s, i, h }) => {
    const created = new Date(newestHour - h * HOUR + ((i * 7) % 60) * 1_000);
    const name = await seedBackup(container, state, {
      storage: config.storage,
      service: { id: idOf(s), name: s.name },
      createdAt: created,
      durationMs: (12 + (i % 6)) * MINUTE,
      failed: failed(i, h) && h > 0,
      blobSize: 16,
    });
    if (h === 0) newestOf.set(s.name, name);
  });
  // A few restore records per standby, the newest of them the sync of the newest backup (so no sync is due).
  if (withStandby) {
    await pool(
      specs.flatMap((s, i) => Array.from({ length: recordsPerStandby }, (_, r) => ({ s, i, r }))),
      48,
      async ({ s, i, r }) => {
        const target = standbys[i]!;
        const requestedAt = new Date(NOW.getTime() - 2 * MINUTE - r * HOUR);
        const record: RestoreRecord = {
          schemaVersion: 1,
          recordName: restoreRecordName(target.name, requestedAt, `seed-${i}-${r}`),
          source: s.name,
          target: target.name,
          targetId: idOf(target),
          backupName: r === 0 ? newestOf.get(s.name) : backupName(s.name, new Date(newestHour - r * HOUR + ((i * 7) % 60) * 1_000), 'scheduled'),
          requestedBy: 'sync:after-backup',
          correlationId: `seed-restore-${i}-${r}`,
          owner: `seed-${i}-${r}`,
          purpose: 'sync',
          requestedAt: requestedAt.toISOString(),
          completedAt: new Date(requestedAt.getTime() + MINUTE).toISOString(),
          state: 'succeeded',
          findings: [],
          rtoMs: MINUTE,
        };
        const body = JSON.stringify(record);
        await container.getBlockBlobClient(record.recordName).upload(body, Buffer.byteLength(body));
      },
    );
  }
  const seedSeconds = (performance.now() - seedStart) / 1000;
  let blobs = 0;
  for await (const _ of container.listBlobsFlat()) blobs += 1;

  const actions = () => [...host.engine.instances.values()].reduce((sum, i) => sum + i.actions, 0);
  const measure = async (what: () => Promise<number>) => {
    proxy.counts.clear();
    proxy.bytes.n = 0;
    host.engine.apiCalls.clear();
    const actionsBefore = actions();
    const cpu = process.cpuUsage();
    const start = performance.now();
    const responseBytes = await what();
    await host.engine.idle();
    const wallMs = performance.now() - start;
    const used = process.cpuUsage(cpu);
    const storage = Object.fromEntries(proxy.counts);
    return {
      storageRequests: Object.values(storage).reduce((a, b) => a + b, 0),
      storage,
      storageBytesIn: proxy.bytes.n,
      durableActions: actions() - actionsBefore,
      durableApiCalls: [...host.engine.apiCalls.values()].reduce((a, b) => a + b, 0),
      cpuMs: round((used.user + used.system) / 1000),
      wallMs: round(wallMs),
      responseBytes,
    };
  };
  const get = (path: string) => async () => {
    const answer = await fetch(`${host.origin}${path}`);
    const text = await answer.text();
    if (answer.status !== 200) throw new Error(`${path} answered ${answer.status}: ${text.slice(0, 300)}`);
    return Buffer.byteLength(text);
  };

  // A first tick builds whatever the app keeps between ticks; the measured one is the steady state.
  await host.invokeTimer('scheduleTick');
  await host.engine.idle();
  const tick = await measure(async () => {
    await host.invokeTimer('scheduleTick');
    return 0;
  });
  const status = await measure(get('/api/status'));
  const dashboard = await measure(get('/api/dashboard'));
  // A worker that has not read the index yet (a cold start, a scale-out) downloads every instance's blob once.
  const coldWorker = createServices(config, { settings, clock, extraCa: sandbox.caPem, logger: createLogger(() => undefined) });
  const coldIndexRead = await measure(async () => {
    await coldWorker.catalogIndex.view();
    return 0;
  });
  const sweep = await measure(async () => {
    await host.invokeTimer('expirySweep');
    return 0;
  });
  const shown = (await (await fetch(`${host.origin}/api/status`)).json()) as { summary: Record<string, number> };

  console.log(
    JSON.stringify(
      {
        benchmark: 'history',
        instances,
        days,
        standby: withStandby,
        catalog: { backups: seeds.length, blobs, restoreRecords: withStandby ? instances * recordsPerStandby : 0, seedSeconds: round(seedSeconds) },
        summary: shown.summary,
        scheduleTick: tick,
        status,
        dashboard,
        coldIndexRead,
        sweep,
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
