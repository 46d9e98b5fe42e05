/**
 * A fleet of 20 sandbox instances in every state the dashboard must tell apart, built through the real
 * HTTP API on the virtual clock: protected, at risk (RPO, last backup failed), unprotected (never backed
 * up, only failures, only expired backups), a running backup, and a standby behind its primary.
 */
import { SAMPLE_SERVICES, SANDBOX_SUBSCRIPTION } from '../../dev/sandbox/startSandbox';
import type { SandboxServiceSpec } from '../../dev/sandbox/model';
import { backupNow, runToCompletion, startHarness, type Harness } from './harness';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const FLEET = {
  protected: ['fleet-01', 'fleet-02', 'fleet-03', 'fleet-04', 'fleet-05', 'fleet-06', 'contoso-apim-dev', 'contoso-apim-neu', 'contoso-apim-weu', 'fleet-17'],
  rpoBreached: ['fleet-07', 'fleet-08', 'fleet-09'],
  lastFailed: ['fleet-10', 'fleet-11'],
  neverBackedUp: ['fleet-12', 'fleet-13'],
  onlyFailed: ['fleet-14'],
  onlyExpired: ['fleet-15', 'fleet-16'],
  running: 'fleet-17',
} as const;

function fleetSpec(n: number): SandboxServiceSpec {
  const name = `fleet-${String(n).padStart(2, '0')}`;
  return {
    subscriptionId: SANDBOX_SUBSCRIPTION,
    resourceGroup: `rg-fleet-${n % 3}`,
    name,
    location: n % 2 ? 'West Europe' : 'North Europe',
    sku: n % 4 ? { name: 'Developer', capacity: 1 } : { name: 'Premium', capacity: 1 },
    configuration: { apis: [`api-${n}`], products: ['starter'], namedValues: [] },
  };
}

export async function startMixedFleet(): Promise<Harness> {
  const specs = [...SAMPLE_SERVICES, ...Array.from({ length: 17 }, (_, i) => fleetSpec(i + 1))];
  const h = await startHarness({
    services: specs,
    durationMs: (kind) => (kind === 'backup' ? 45_000 : 10 * 60_000),
    config: (sandbox) => sandbox.config({ defaults: { expiredAction: 'archive' } }),
  });
  const backupAll = async (names: readonly string[]) => {
    for (const name of names) await backupNow(h, name);
  };
  const failAll = async (names: readonly string[]) => {
    for (const name of names) {
      h.sandbox.apim.failNextOperation(name, { code: 'StorageAccessDenied', message: 'the storage firewall refused the backup' });
      await backupNow(h, name);
    }
  };
  // The page is read at `end`; each step happens a given time before it.
  const end = h.clock.now().getTime() + 33 * DAY;
  const until = (msBeforeEnd: number) => h.clock.advance(end - msBeforeEnd - h.clock.now().getTime());

  await backupAll(FLEET.onlyExpired);
  await until(30 * HOUR);
  await backupAll(FLEET.rpoBreached);
  await until(5 * HOUR);
  await backupAll(FLEET.lastFailed);
  await until(3 * HOUR);
  await backupAll(['contoso-apim-weu']);
  await failAll(FLEET.onlyFailed);
  const restore = await h.api('POST', '/api/restores', { source: 'contoso-apim-weu', target: 'contoso-apim-neu', confirm: 'contoso-apim-neu' });
  await runToCompletion(h, restore.body.id);
  await until(2 * HOUR);
  await failAll(FLEET.lastFailed);
  await until(1 * HOUR);
  await backupAll(FLEET.protected);
  // A backup of fleet-17 is running when the page is read: it takes 45 s and 10 s have passed.
  await until(10_000);
  await h.api('POST', '/api/backups', { service: FLEET.running });
  await until(0);
  return h;
}
