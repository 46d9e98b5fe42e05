/**
 * Retires one configured instance's old snapshots (after each new one), only those storage shows to be apim-dr's. The
 * listing marks the scoped ones (blob tag `scope=part`), which take no place among the newest kept (snapshotRetention.ts).
 */
import { planSnapshotRetention } from '../../domain/snapshot/snapshotRetention';
import type { Services } from '../../services';

export async function pruneSnapshots(services: Services, serviceName: string): Promise<string[]> {
  const { snapshotRetention, snapshotsKept } = services.config.defaults;
  const due = planSnapshotRetention(await services.snapshots.list(serviceName), services.clock.now(), snapshotRetention, snapshotsKept);
  const retired: string[] = [];
  for (const name of due) {
    // The store deletes only a snapshot whose manifest is a valid apim-dr manifest for this container.
    if (await services.snapshots.delete(name)) retired.push(name);
  }
  if (retired.length) services.logger.event('apim-dr.snapshot.retired', { service: serviceName, retired });
  return retired;
}
