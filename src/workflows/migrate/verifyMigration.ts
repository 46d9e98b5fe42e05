/**
 * Activity: is the instance on stv2 in every region, healthy, and holding what the pre-migration backup held?
 * Reads only (two ARM reads and the inventory, one manifest); the record is settled by finishMigration.
 */
import { resolveInstance } from '../../config/resolveService';
import { isMigrated, publicIPs, regionsOf } from '../../domain/migration';
import type { Services } from '../../services';
import type { MigrationVerification } from './types';

export async function verifyMigration(services: Services, input: { recordName: string; preMigrationBackup: string }): Promise<MigrationVerification> {
  const record = (await services.migrations.read(input.recordName))?.record;
  if (!record) throw new Error(`migration record '${input.recordName}' vanished before it was verified`);
  const instance = resolveInstance(services.config, record.serviceId, 'service');
  const [snapshot, actual, stored] = await Promise.all([
    services.apim.getService(instance.ref),
    services.apim.countInventory(instance.ref),
    services.catalog.read(input.preMigrationBackup),
  ]);
  const expected = stored?.manifest.inventory ?? {};
  const platforms = Object.fromEntries(regionsOf(snapshot).map((r) => [r.location, r.platformVersion]));
  const sameInventory = Object.entries(expected).every(([k, v]) => actual[k as keyof typeof actual] === v) && stored?.manifest.inventory !== undefined;
  const ok = snapshot.provisioningState === 'Succeeded' && Object.values(platforms).every(isMigrated) && sameInventory;
  return { ok, provisioningState: snapshot.provisioningState, platforms, expected: { ...expected }, actual: { ...actual }, ipsAfter: publicIPs(snapshot) };
}
