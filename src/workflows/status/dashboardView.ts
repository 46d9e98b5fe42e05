/** What the dashboard shows: the fleet status plus each instance's backups over the restore window and a little before. */
import type { CatalogEntry } from '../../azure/catalog';
import { viewOfListing } from '../../azure/catalogIndex';
import { RESTORE_WINDOW_MS } from '../../domain/expiry';
import { groupBy } from '../../domain/groupBy';
import type { Services } from '../../services';
import type { OrchestrationStarter } from '../starter';
import { fleetStatusOf, type FleetStatus, type InstanceStatus } from './fleetStatus';

/** The timeline shows the 30-day restore window and 5 days before it, where backups have expired. */
export const TIMELINE_MS = RESTORE_WINDOW_MS + 5 * 86_400_000;

export type TimelineState = 'succeeded' | 'failed' | 'expired' | 'running';

export interface TimelineEntry extends Pick<CatalogEntry, 'backupName' | 'createdAt' | 'expiresAt' | 'trigger'> {
  /** The catalog's state, except that a succeeded backup past its expiry shows as expired before the sweep marks it. */
  state: TimelineState;
}

export interface DashboardView extends FleetStatus {
  timelineStart: string;
  restoreWindowStart: string;
  instances: (InstanceStatus & { timeline: TimelineEntry[] })[];
}

export async function dashboardView(services: Services, starter?: OrchestrationStarter): Promise<DashboardView> {
  // The timeline shows every backup of the last 35 days: the one view that lists the whole catalog.
  const listing = services.catalog.list();
  const status = await fleetStatusOf(
    services,
    listing.then((entries) => viewOfListing(entries)),
    starter,
  );
  const now = Date.parse(status.at);
  const timelineStart = new Date(now - TIMELINE_MS).toISOString();
  // Grouped once, not filtered once per instance.
  const byService = groupBy(
    (await listing).filter((e) => e.createdAt >= timelineStart),
    (e) => e.service.toLowerCase(),
  );
  return {
    ...status,
    timelineStart,
    restoreWindowStart: new Date(now - RESTORE_WINDOW_MS).toISOString(),
    instances: status.instances.map((instance) => ({
      ...instance,
      timeline: (byService.get(instance.service.toLowerCase()) ?? []).map((e): TimelineEntry => ({
        backupName: e.backupName,
        createdAt: e.createdAt,
        expiresAt: e.expiresAt,
        trigger: e.trigger,
        state: e.state === 'succeeded' && Date.parse(e.expiresAt) <= now ? 'expired' : e.state,
      })),
    })),
  };
}
