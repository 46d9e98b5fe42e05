/**
 * The standby syncs and drills due this tick, started into targets no restore or migration holds. Standbys that
 * snapshots keep in sync (a v2 source or standby) get the newest snapshot applied, not a restore.
 */
import type { Services } from '../../../services';
import { startSnapshotSyncs } from '../../snapshot/startSnapshotSyncs';
import type { OrchestrationStarter } from '../../starter';
import { startPlannedRestores } from '../startPlannedRestores';
import type { Holds, TickListing } from './listTick';

export interface RestoreStarts {
  /** As `source→target`. */
  syncs: string[];
  drills: string[];
}

export async function startRestoresDue(
  services: Services,
  starter: OrchestrationStarter,
  listing: TickListing,
  holds: Holds,
  correlationId: string,
): Promise<RestoreStarts> {
  const snapshotSyncs = await startSnapshotSyncs(services, starter, correlationId, listing.snapshotOnly);
  const starts: RestoreStarts = { syncs: snapshotSyncs.started.map((p) => `${p.source}→${p.target}`), drills: [] };
  const planned = await startPlannedRestores(
    services,
    starter,
    listing.catalog.entries,
    listing.restoreTargets,
    holds.targets,
    correlationId,
    snapshotSyncs.targets,
  );
  for (const r of planned) {
    (r.purpose === 'sync' ? starts.syncs : starts.drills).push(`${r.source}→${r.target}`);
  }
  return starts;
}
