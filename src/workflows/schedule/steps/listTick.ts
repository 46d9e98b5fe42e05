/**
 * What the tick reads once and hands to every step: the fleet it backs up, the catalog as the index keeps it,
 * pending change bursts, the orchestrations already running, the ARM circuit's last state, and the restore targets.
 */
import type { ArmOutages } from '../../../azure/armHealth';
import type { CatalogIndexView } from '../../../azure/catalogIndex';
import { protectedServices, type ResolvedService } from '../../../config/resolveService';
import type { ScheduledService } from '../../../domain/dueBackups';
import { backupInstanceId, TARGET_LOCK_PREFIX, targetLockId } from '../../../domain/instanceIds';
import type { PendingChanges } from '../../../domain/pendingChanges';
import type { Services } from '../../../services';
import { snapshotOnlyServices } from '../../snapshot/snapshotTick';
import type { OrchestrationStarter } from '../../starter';
import { refreshDiscovery } from '../refreshDiscovery';
import { readRestoreTargets, type RestoreTargets } from '../startPlannedRestores';

/** Orchestrations holding an instance: its backup, or a restore or migration locking it as a target. */
export interface Holds {
  backups: ReadonlySet<string>;
  targets: ReadonlySet<string>;
}

export interface TickListing {
  now: Date;
  /** The instances backed up natively (v2 instances, protected by snapshots alone, are left out). */
  fleet: ResolvedService[];
  snapshotOnly: ReadonlySet<string>;
  catalog: CatalogIndexView;
  pending: Map<string, Pick<PendingChanges, 'count' | 'firstAt' | 'lastAt'>>;
  /** As listed, before reconciliation adopts orphans. */
  holds: Holds;
  outages: ArmOutages;
  restoreTargets: RestoreTargets;
}

export async function listTick(services: Services, starter: OrchestrationStarter, correlationId: string): Promise<TickListing> {
  const now = services.clock.now();
  // First the tag-discovered fleet (on its own schedule), so an instance found now is backed up in this very tick.
  await refreshDiscovery(services, correlationId);
  // A v2 instance has no native backup: its snapshots protect it (snapshotTick.ts).
  const snapshotOnly = await snapshotOnlyServices(services);
  const fleet = protectedServices(services.config).filter((s) => !snapshotOnly.has(s.ref.name.toLowerCase()));
  const [catalog, pending, running, restoring, outages, restoreTargets] = await Promise.all([
    services.catalogIndex.view(),
    services.changes.pending(),
    starter.running('backup-'),
    starter.running(TARGET_LOCK_PREFIX),
    services.armHealth.read(),
    readRestoreTargets(services),
  ]);
  return { now, fleet, snapshotOnly, catalog, pending, holds: { backups: new Set(running), targets: new Set(restoring) }, outages, restoreTargets };
}

export function toScheduled(s: ResolvedService): ScheduledService {
  return { id: s.ref.id, name: s.ref.name, subscriptionId: s.ref.subscriptionId, schedule: s.schedule, rpoMs: s.rpoMs, enabled: s.config.enabled };
}

export function isBackingUp(holds: Holds, s: Pick<ScheduledService, 'name' | 'id'>): boolean {
  return holds.backups.has(backupInstanceId(s.name, s.id));
}

/** A restore or migration into an instance holds its backups until it has finished; the instance stays due meanwhile. */
export function isTargetLocked(holds: Holds, s: Pick<ScheduledService, 'name' | 'id'>): boolean {
  return holds.targets.has(targetLockId(s.name, s.id));
}
