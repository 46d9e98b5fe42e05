/** An instance's tier, read cheaply: its newest snapshot's manifest says it without ARM; before its first snapshot, one GET does. */
import type { ServiceRef } from '../../domain/resourceId';
import type { Services } from '../../services';

export async function instanceTier(services: Services, ref: ServiceRef): Promise<string | undefined> {
  const newest = (await services.snapshots.list(ref.name))[0];
  if (newest) return (await services.snapshots.readManifest(newest.snapshotName)).service.sku.name;
  // An instance ARM cannot read now has no tier to report: the caller treats it as not (yet) known.
  return services.apim.getService(ref).then(
    (instance) => instance.sku.name,
    () => undefined,
  );
}
