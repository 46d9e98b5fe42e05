/**
 * A v2 instance has no native backup: `apim-dr backup` refuses it before any ARM call, from what apim-dr already knows
 * of its tier (its newest snapshot's manifest), and points to snapshots. Instances never snapshotted are refused by
 * the backup's readiness check instead (one GET, no POST).
 */
import type { ServiceRef } from '../../domain/resourceId';
import { isV2 } from '../../domain/snapshot/tierLimits';
import { UserError } from '../../errors';
import type { Services } from '../../services';

export async function refuseNativeBackupOfV2(services: Services, ref: ServiceRef): Promise<void> {
  const newest = (await services.snapshots.list(ref.name))[0];
  if (!newest) return;
  const tier = (await services.snapshots.readManifest(newest.snapshotName)).service.sku.name;
  if (!isV2(tier)) return;
  throw new UserError(
    `'${ref.name}' is on the ${tier} tier, which has no native backup: it is protected by configuration snapshots. Take one with 'apim-dr snapshot create ${ref.name}' (services[].snapshots schedules them)`,
    'refused',
    'BackupNotSupportedOnTier',
  );
}
