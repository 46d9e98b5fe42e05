/** What the dashboard shows: the fleet status plus each instance's backups over the restore window and a little before. */
import type { CatalogEntry } from '../../azure/catalog';
import { RESTORE_WINDOW_MS } from '../../domain/expiry';
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
  const listing = services.catalog.list();
  const status = await fleetStatusOf(services, listing, starter);
  const entries = await listing;
  const now = Date.parse(status.at);
  const timelineStart = new Date(now - TIMELINE_MS).toISOString();
  return {
    ...status,
    timelineStart,
    restoreWindowStart: new Date(now - RESTORE_WINDOW_MS).toISOString(),
    instances: status.instances.map((instance) => ({
      ...instance,
      timeline: entries
        .filter((e) => e.service.toLowerCase() === instance.service.toLowerCase() && e.createdAt >= timelineStart)
        .map((e) => ({
          backupName: e.backupName,
          createdAt: e.createdAt,
          expiresAt: e.expiresAt,
          trigger: e.trigger,
          state: e.state === 'succeeded' && Date.parse(e.expiresAt) <= now ? 'expired' : e.state,
        })),
    })),
  };
}
