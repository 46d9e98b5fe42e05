/**
 * What the dashboard shows: the fleet status plus, per instance, its backups per day over the restore window and a
 * little before. Both come from the catalog index (one blob per instance, with its outcomes counted per day as backups
 * settle), so a view reads a few numbers per instance and day shown, however long the history kept.
 */
import type { CatalogIndexView } from '../../azure/catalogIndex';
import { dayOf, type DailyOutcomes } from '../../domain/dailyOutcomes';
import { RESTORE_WINDOW_MS } from '../../domain/expiry';
import type { Services } from '../../services';
import type { OrchestrationStarter } from '../starter';
import { fleetStatusOf, type FleetStatus, type InstanceStatus } from './fleetStatus';

const DAY_MS = 86_400_000;

/** The timeline shows the 30-day restore window and 5 days before it, where backups have expired. */
export const TIMELINE_MS = RESTORE_WINDOW_MS + 5 * DAY_MS;

export type TimelineState = 'succeeded' | 'failed' | 'expired' | 'running';

/** One UTC day of an instance's backups (only days with at least one). */
export interface TimelineDay {
  /** `yyyy-MM-dd`. */
  day: string;
  /** Successes of a day whose newest success is still restorable. */
  succeeded: number;
  /** Successes of a day whose newest success has expired (so have all the others). */
  expired: number;
  failed: number;
  running: number;
}

export interface DashboardView extends FleetStatus {
  timelineStart: string;
  restoreWindowStart: string;
  instances: (InstanceStatus & { timeline: TimelineDay[] })[];
}

export async function dashboardView(services: Services, starter?: OrchestrationStarter): Promise<DashboardView> {
  const index = services.catalogIndex.view();
  const status = await fleetStatusOf(services, index, starter);
  const { days, entries } = await index;
  const now = Date.parse(status.at);
  const timelineStart = new Date(now - TIMELINE_MS).toISOString();
  const running = runningPerDay(entries);
  return {
    ...status,
    timelineStart,
    restoreWindowStart: new Date(now - RESTORE_WINDOW_MS).toISOString(),
    instances: status.instances.map((instance) => {
      const key = instance.service.toLowerCase();
      return { ...instance, timeline: timelineDays(days.get(key) ?? {}, running.get(key) ?? {}, dayOf(timelineStart), now) };
    }),
  };
}

/** Instance (lower case) → day → backups running (the index keeps every running entry). */
function runningPerDay(entries: CatalogIndexView['entries']): Map<string, Record<string, number>> {
  const out = new Map<string, Record<string, number>>();
  for (const e of entries) {
    if (e.state !== 'running') continue;
    const mine = out.get(e.service.toLowerCase()) ?? {};
    mine[dayOf(e.createdAt)] = (mine[dayOf(e.createdAt)] ?? 0) + 1;
    out.set(e.service.toLowerCase(), mine);
  }
  return out;
}

/** The days from `firstDay` on with a backup, oldest first. */
export function timelineDays(outcomes: DailyOutcomes, running: Record<string, number>, firstDay: string, now: number): TimelineDay[] {
  const keys = [...new Set([...Object.keys(outcomes), ...Object.keys(running)])].filter((day) => day >= firstDay).sort();
  return keys.map((day) => {
    const o = outcomes[day];
    const successes = o?.succeeded ?? 0;
    const expired = !!o?.newestSuccessAt && Date.parse(o.newestSuccessAt) + RESTORE_WINDOW_MS <= now;
    return { day, succeeded: expired ? 0 : successes, expired: expired ? successes : 0, failed: o?.failed ?? 0, running: running[day] ?? 0 };
  });
}
