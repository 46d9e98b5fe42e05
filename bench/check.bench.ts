/**
 * Restore-check benchmark (sandbox + Azurite): ARM and storage reads per check, wall time per check including
 * those loopback reads, and the time of the rules themselves. Prints JSON.
 *
 *   npx tsx bench/check.bench.ts [--checks 200]
 */
import dc from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { parseArgs } from 'node:util';
import { parseConfig } from '../src/config/loadConfig';
import { checkRestoreCompatibility } from '../src/domain/compatibility';
import { parseServiceId } from '../src/domain/resourceId';
import { backupName } from '../src/domain/backupName';
import { expiresAt } from '../src/domain/expiry';
import { runOrchestrationInProcess } from '../src/inProcess/runInProcess';
import { startSandbox } from '../dev/sandbox/startSandbox';
import { createServices } from '../src/services';
import { createLogger } from '../src/telemetry/logger';
import { checkRestore } from '../src/workflows/check/checkRestore';
import { Orchestrations } from '../src/workflows/names';
import { round, runBenchmark } from './support';

const { values } = parseArgs({ options: { checks: { type: 'string', default: '200' } } });
const checks = Number(values.checks);

async function main() {
  const sandbox = await startSandbox({ durationMs: () => 200 });
  const config = parseConfig(sandbox.config({ defaults: { pollInterval: 'PT1S' } }));
  const services = createServices(config, { settings: sandbox.settings, extraCa: sandbox.caPem, logger: createLogger(() => undefined) });
  const primary = sandbox.apim.service('contoso-apim-weu');
  await runOrchestrationInProcess(services, Orchestrations.backup, 'bench-backup', {
    serviceId: primary.id,
    trigger: 'manual',
    requestedBy: 'bench',
    correlationId: 'bench',
  });
  // Older records for the source, so the listing is not trivially small.
  const real = (await services.catalog.read((await services.catalog.list('contoso-apim-weu'))[0]!.backupName))!.manifest;
  for (let day = 1; day <= 7; day++) {
    const created = new Date(Date.parse(real.createdAt) - day * 86_400_000);
    await services.catalog.create({
      ...real,
      backupName: backupName('contoso-apim-weu', created, 'scheduled'),
      createdAt: created.toISOString(),
      expiresAt: expiresAt(created).toISOString(),
    });
  }

  // Every request to the storage endpoint, and the listings among them.
  const storage = { requests: 0, listings: 0 };
  const blobPort = new URL(sandbox.blobEndpoint).port;
  dc.subscribe('http.client.request.start', (message) => {
    const request = (message as { request: ClientRequest }).request;
    if (String(request.getHeader('host') ?? '').endsWith(`:${blobPort}`)) {
      storage.requests += 1;
      if (/[?&]comp=list/.test(request.path)) storage.listings += 1;
    }
  });
  const read = services.catalog.read.bind(services.catalog);

  await checkRestore(services, { source: 'contoso-apim-weu', target: 'contoso-apim-neu' }); // warm-up
  const armBefore = sandbox.apim.requests.length;
  storage.requests = storage.listings = 0;
  const times: number[] = [];
  let report = await checkRestore(services, { source: 'contoso-apim-weu', target: 'contoso-apim-neu' });
  for (let i = 0; i < checks; i++) {
    const t = performance.now();
    report = await checkRestore(services, { source: 'contoso-apim-weu', target: 'contoso-apim-neu' });
    times.push(performance.now() - t);
  }
  const armReads = (sandbox.apim.requests.length - armBefore) / (checks + 1);

  // The rules alone, on the same inputs.
  const manifest = (await read(report.backupName))!.manifest;
  const target = await services.apim.getService(parseServiceId(sandbox.apim.service('contoso-apim-neu').id)!);
  const input = {
    backup: { ...manifest, source: manifest.service!, blobSize: 100 },
    target,
    targetWorkspaceGateways: 0,
    access: config.defaults.access,
    targetIsStandby: true,
    allowInPlace: false,
    now: new Date(),
    restoreMarginMs: config.defaults.restoreMargin,
  };
  const ruleStart = performance.now();
  for (let i = 0; i < 10_000; i++) checkRestoreCompatibility(input);
  const ruleMicros = ((performance.now() - ruleStart) / 10_000) * 1000;

  times.sort((a, b) => a - b);
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  console.log(
    JSON.stringify(
      {
        benchmark: 'restore-check',
        checks,
        verdict: report.verdict,
        armReadsPerCheck: round(armReads),
        storageRequestsPerCheck: round(storage.requests / (checks + 1)),
        storageListingsPerCheck: round(storage.listings / (checks + 1)),
        wallMsPerCheck: { mean: round(mean), p50: round(times[Math.floor(times.length / 2)]!), p95: round(times[Math.floor(times.length * 0.95)]!) },
        rulesMicrosecondsPerCheck: round(ruleMicros),
      },
      null,
      2,
    ),
  );
  await sandbox.close();
}

runBenchmark(main);
