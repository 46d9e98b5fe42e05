/**
 * Sweep benchmark: N catalogued backups (manifest + blob, with index tags) in Azurite. Compares the sweep
 * (plan from one listing + batched deletes) with a plain listing of the same blobs, and counts storage requests.
 *
 *   npx tsx bench/sweep.bench.ts [--entries 10000] [--services 50] [--expired-share 0.033]
 */
import http from 'node:http';
import { parseArgs } from 'node:util';
import { parseConfig } from '../src/config/loadConfig';
import { backupName } from '../src/domain/backupName';
import { expiresAt } from '../src/domain/expiry';
import { manifestTags, type BackupManifest } from '../src/domain/manifest';
import { canonicalServiceId } from '../src/domain/resourceId';
import { VirtualClock } from '../src/local/hostClock';
import { startSandbox } from '../src/sandbox/startSandbox';
import { createServices } from '../src/services';
import { createLogger } from '../src/telemetry/logger';
import { applySweep } from '../src/workflows/sweep/applySweep';
import { planSweep } from '../src/workflows/sweep/planSweep';
import { SWEEP_CHUNK } from '../src/workflows/sweep/sweepOrchestrator';
import { round, runBenchmark } from './support';

const { values } = parseArgs({
  options: {
    entries: { type: 'string', default: '10000' },
    services: { type: 'string', default: '50' },
    'expired-share': { type: 'string', default: '0.033' },
  },
});
const entries = Number(values.entries);
const serviceCount = Number(values.services);
const expiredShare = Number(values['expired-share']);
const DAY = 86_400_000;

// Counts every HTTP request this process makes (the storage SDK uses node:http for Azurite).
let requests = 0;
const originalRequest = http.request;
(http as { request: typeof http.request }).request = ((...args: Parameters<typeof http.request>) => {
  requests += 1;
  return originalRequest(...args);
}) as typeof http.request;

async function main() {
  const now = new Date('2026-06-01T00:00:00Z');
  const clock = new VirtualClock(now);
  const sandbox = await startSandbox({ clock, services: [] });
  const names = Array.from({ length: serviceCount }, (_, i) => `svc-${String(i).padStart(3, '0')}`);
  const config = parseConfig({
    ...sandbox.config(),
    services: names.map((n) => ({ id: canonicalServiceId('22222222-2222-2222-2222-222222222222', 'rg', n) })),
  });
  const services = createServices(config, { settings: sandbox.settings, clock, extraCa: sandbox.caPem, logger: createLogger(() => undefined) });

  // Seed: ages spread so that `expiredShare` of the backups are past 30 days.
  const seedStart = performance.now();
  const windowMs = (30 * DAY) / (1 - expiredShare);
  const jobs = Array.from({ length: entries }, (_, i) => async () => {
    const service = names[i % serviceCount]!;
    const created = new Date(now.getTime() - 60_000 - Math.floor((((i * 7919) % entries) / entries) * windowMs));
    const name = backupName(service, created, 'scheduled');
    const manifest: BackupManifest = {
      schemaVersion: 1,
      backupName: name,
      storageAccount: config.storage.account,
      container: config.storage.container,
      serviceId: canonicalServiceId('22222222-2222-2222-2222-222222222222', 'rg', service),
      trigger: 'scheduled',
      requestedBy: 'bench',
      correlationId: 'bench',
      owner: 'bench',
      startedAt: created.toISOString(),
      completedAt: created.toISOString(),
      createdAt: created.toISOString(),
      expiresAt: expiresAt(created).toISOString(),
      state: 'succeeded',
      blobSize: 64,
    };
    // As finishBackup leaves it: a succeeded backup blob carries the catalog's index tags.
    await sandbox
      .container()
      .getBlockBlobClient(name)
      .upload('x'.repeat(64), 64, { tags: manifestTags(manifest) });
    await services.catalog.create(manifest);
  });
  await runPool(jobs, 32);
  const seedSeconds = (performance.now() - seedStart) / 1000;

  requests = 0;
  const listStart = performance.now();
  let listed = 0;
  for await (const _ of sandbox.container().listBlobsFlat()) listed += 1;
  const listMs = performance.now() - listStart;
  const listRequests = requests;

  requests = 0;
  const sweepStart = performance.now();
  const plan = await planSweep(services);
  const planMs = performance.now() - sweepStart;
  const planRequests = requests;
  const work = plan.items.filter((i) => i.action !== 'keep' || i.markExpired);
  let deleted = 0;
  for (let i = 0; i < work.length; i += SWEEP_CHUNK) deleted += (await applySweep(services, work.slice(i, i + SWEEP_CHUNK))).deleted.length;
  const sweepMs = performance.now() - sweepStart;
  const sweepRequests = requests;

  console.log(
    JSON.stringify(
      {
        benchmark: 'expiry-sweep',
        entries,
        blobs: listed,
        services: serviceCount,
        expired: work.length,
        deleted,
        plainListing: { ms: round(listMs), requests: listRequests },
        plan: { ms: round(planMs), requests: planRequests },
        sweep: { ms: round(sweepMs), requests: sweepRequests },
        sweepOverListing: round(sweepMs / listMs, 2),
        // The plan is the sweep's own cost: one listing with index tags. Applying it is storage's delete cost,
        // which in Azurite grows with the number of blobs in the container (in Blob Storage it does not).
        planOverListing: round(planMs / listMs, 2),
        applyMsPerDeletedBlob: deleted ? round((sweepMs - planMs) / (2 * deleted), 1) : 0,
        storageRequestsPerEntry: round(sweepRequests / entries, 4),
        seedSeconds: round(seedSeconds),
      },
      null,
      2,
    ),
  );
  await sandbox.close();
}

async function runPool(jobs: (() => Promise<void>)[], width: number): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < jobs.length) await jobs[next++]!();
    }),
  );
}

runBenchmark(main);
