/** The standby syncs and drills due this tick, started into targets no restore or migration holds. */
import type { Services } from '../../../services';
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
  const starts: RestoreStarts = { syncs: [], drills: [] };
  for (const r of await startPlannedRestores(services, starter, listing.catalog.entries, listing.restoreTargets, holds.targets, correlationId)) {
    (r.purpose === 'sync' ? starts.syncs : starts.drills).push(`${r.source}→${r.target}`);
  }
  return starts;
}
