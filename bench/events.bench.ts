/**
 * Event debounce benchmark (virtual clock, sandbox, local host webhook): bursts of change events, and how many
 * backups they cause and how soon after the last change. Prints JSON.
 *
 *   npx tsx bench/events.bench.ts
 */
import { randomUUID } from 'node:crypto';
import { parseConfig } from '../src/config/loadConfig';
import { canonicalServiceId } from '../src/domain/resourceId';
import { VirtualClock } from '../src/inProcess/hostClock';
import { EVENT_GRID_WEBHOOK, LocalHost } from '../dev/localHost/LocalHost';
import type { SandboxServiceSpec } from '../dev/sandbox/model';
import { startSandbox } from '../dev/sandbox/startSandbox';
import { createServices } from '../src/services';
import { createLogger } from '../src/telemetry/logger';
import { round, runBenchmark } from './support';

const MINUTE = 60_000;

async function scenario(instances: number, eventsPerInstance: number) {
  const clock = new VirtualClock(new Date('2026-04-01T00:00:00Z'));
  const specs: SandboxServiceSpec[] = Array.from({ length: instances }, (_, i) => ({
    subscriptionId: '44444444-4444-4444-4444-444444444444',
    resourceGroup: 'rg-events',
    name: `evt-${String(i).padStart(2, '0')}`,
    location: 'West Europe',
    sku: { name: 'Premium', capacity: 1 },
  }));
  const sandbox = await startSandbox({ clock, services: specs, durationMs: () => 8 * MINUTE });
  const ids = specs.map((s) => canonicalServiceId(s.subscriptionId, s.resourceGroup, s.name));
  const config = parseConfig({
    ...sandbox.config({ schedule: '0 0 2 1 1 *', defaults: { concurrencyPerSubscription: 200 } }),
    services: ids.map((id) => ({ id, events: { enabled: true, quietPeriod: 'PT5M', maxDelay: 'PT30M' } })),
  });
  const services = createServices(config, { settings: sandbox.settings, clock, extraCa: sandbox.caPem, logger: createLogger(() => undefined) });
  const host = await LocalHost.start({ services, clock, port: 0, timers: true });
  // The first tick backs up every (never backed up) instance; events start once that is done.
  await clock.advance(30 * MINUTE);

  const total = instances * eventsPerInstance;
  const stepMs = (10 * MINUTE) / eventsPerInstance;
  const lastChange = new Map<string, number>();
  const wallStart = performance.now();
  for (let n = 0; n < eventsPerInstance; n++) {
    const at = clock.now();
    const batch = ids.map((id) => ({
      id: randomUUID(),
      topic: id,
      subject: `/apis/api-${n % 7}`,
      eventType: 'Microsoft.ApiManagement.APIUpdated',
      eventTime: at.toISOString(),
      data: { resourceUri: `${id}/apis/api-${n % 7}` },
      dataVersion: '1',
    }));
    const response = await fetch(`${host.origin}${EVENT_GRID_WEBHOOK}?functionName=onConfigurationChange`, { method: 'POST', body: JSON.stringify(batch) });
    if (response.status !== 202) throw new Error(`webhook answered ${response.status}`);
    for (const s of specs) lastChange.set(s.name, at.getTime());
    await clock.advance(stepMs);
  }
  const ingestSeconds = (performance.now() - wallStart) / 1000;
  await clock.advance(60 * MINUTE);

  const entries = (await services.catalog.list()).filter((e) => e.trigger === 'event');
  const perInstance = specs.map((s) => entries.filter((e) => e.service === s.name));
  const delays = perInstance.map((list, i) => {
    const first = list.map((e) => Date.parse(e.createdAt)).sort((a, b) => a - b)[0];
    return first === undefined ? NaN : (first - lastChange.get(specs[i]!.name)!) / 1000;
  });
  await host.stop();
  await sandbox.close();
  return {
    instances,
    eventsPerInstance,
    events: total,
    eventBackups: entries.length,
    maxBackupsPerInstance: Math.max(...perInstance.map((l) => l.length)),
    minBackupsPerInstance: Math.min(...perInstance.map((l) => l.length)),
    delayFromLastChangeSeconds: {
      min: round(Math.min(...delays)),
      mean: round(delays.reduce((a, b) => a + b, 0) / delays.length),
      max: round(Math.max(...delays)),
    },
    target: 'quietPeriod 300 s + at most one tick (300 s)',
    ingestWallSeconds: round(ingestSeconds),
  };
}

async function main() {
  const oneInstance = await scenario(1, 1000);
  const fleet = await scenario(50, 100);
  console.log(JSON.stringify({ benchmark: 'event-debounce', oneInstance, fleet }, null, 2));
}

runBenchmark(main);
