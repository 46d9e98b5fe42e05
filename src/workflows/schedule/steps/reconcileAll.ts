/**
 * Reconciliation of every kind together, before anything new starts: orphaned running backups, restore records
 * and migration records get a watcher again, and each adopted one holds its instance from then on.
 */
import { backupInstanceId } from '../../../domain/instanceIds';
import type { Services } from '../../../services';
import type { OrchestrationStarter } from '../../starter';
import { reconcileMigrations, reconcileOrphanBackups, reconcileRestores } from '../reconcile';
import { isBackingUp, isTargetLocked, toScheduled, type Holds, type TickListing } from './listTick';

export interface Reconciled {
  /** Backup names, then restore and migration record names, adopted this tick. */
  names: string[];
  /** The listing's holds plus the orchestrations reconciliation started. */
  holds: Holds;
}

export async function reconcileAll(services: Services, starter: OrchestrationStarter, listing: TickListing, correlationId: string): Promise<Reconciled> {
  const { holds } = listing;
  // A running backup holds its instance until ARM says how it ended.
  const backups = await reconcileOrphanBackups(
    services,
    starter,
    listing.fleet,
    listing.catalog.entries,
    (s) => isBackingUp(holds, toScheduled(s)) || isTargetLocked(holds, toScheduled(s)),
    correlationId,
  );
  // A restore or migration record holds its target, so no backup of the target starts under it.
  const restores = await reconcileRestores(services, starter, listing.restoreTargets, holds.targets, correlationId);
  const migrations = await reconcileMigrations(services, starter, holds.targets, correlationId);
  const records = [...restores, ...migrations];
  return {
    names: [...backups.map((r) => r.backupName), ...records.map((r) => r.recordName)],
    holds: {
      backups: new Set([...holds.backups, ...backups.map(({ service }) => backupInstanceId(service.ref.name, service.ref.id))]),
      targets: new Set([...holds.targets, ...records.map((r) => r.instanceId)]),
    },
  };
}
