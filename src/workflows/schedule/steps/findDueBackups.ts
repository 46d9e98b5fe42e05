/**
 * The backups due this tick: by schedule and RPO from each instance's history, or after a burst of configuration
 * changes; then which of them may start now (not already running, target not locked, within the per-subscription limit).
 */
import type { CatalogIndexView } from '../../../azure/catalogIndex';
import { DEFAULT_APP_SETTINGS, TICK_SCHEDULE_SETTING } from '../../../config/appSettings';
import { applyConcurrencyLimit, planDueBackups, type DueBackup, type InstanceHistory } from '../../../domain/dueBackups';
import { newestRestorable } from '../../../domain/expiry';
import { groupBy } from '../../../domain/groupBy';
import { consumeBurst, isBurstDue } from '../../../domain/pendingChanges';
import { durationStats, rpoLeadMs, scheduleIntervalMs } from '../../../domain/rpoPlan';
import type { Services } from '../../../services';
import { isBackingUp, isTargetLocked, toScheduled, type Holds, type TickListing } from './listTick';

export interface DueBackups {
  due: DueBackup[];
  /** Due, with their backup already running: they join it. */
  running: DueBackup[];
  /** Due and not running: those not `allowed` wait (target locked, or over the subscription's limit). */
  notRunning: DueBackup[];
  allowed: DueBackup[];
}

export async function findDueBackups(services: Services, listing: TickListing, holds: Holds): Promise<DueBackups> {
  const { now, fleet, catalog, pending } = listing;
  const scheduled = fleet.map(toScheduled);
  const tick = tickMs(services);
  const history = instanceHistories(catalog, now, services.config.defaults.restoreMargin, tick);
  const newestSucceeded = new Map<string, number>();
  for (const entry of catalog.entries) {
    const key = entry.service.toLowerCase();
    if (entry.state === 'succeeded' && !newestSucceeded.has(key)) newestSucceeded.set(key, Date.parse(entry.createdAt));
  }

  const due = planDueBackups(scheduled, history, now, { retryFailedAfterMs: services.config.defaults.retryFailedAfter, retryAtStakeMs: tick });
  const dueNames = new Set(due.map((d) => d.service.name.toLowerCase()));
  for (const service of fleet) {
    const burst = pending.get(service.ref.name.toLowerCase());
    const events = service.config.events;
    if (!burst || !events?.enabled || dueNames.has(service.ref.name.toLowerCase()) || isBackingUp(holds, toScheduled(service))) continue;
    // A backup that started after the last change already holds it.
    if ((newestSucceeded.get(service.ref.name.toLowerCase()) ?? 0) > Date.parse(burst.lastAt ?? '')) {
      await services.changes.update(service.ref.name, consumeBurst);
      continue;
    }
    if (isBurstDue(burst, now, events.quietPeriod, events.maxDelay)) {
      due.push({ service: toScheduled(service), occurrence: new Date(burst.firstAt!), reason: 'events' });
    }
  }

  const runningPerSubscription = new Map<string, number>();
  for (const s of scheduled) if (isBackingUp(holds, s)) runningPerSubscription.set(s.subscriptionId, (runningPerSubscription.get(s.subscriptionId) ?? 0) + 1);
  const notRunning = due.filter((d) => !isBackingUp(holds, d.service));
  const startable = notRunning.filter((d) => !isTargetLocked(holds, d.service));
  const allowed = applyConcurrencyLimit(startable, runningPerSubscription, services.config.defaults.concurrencyPerSubscription);
  return { due, running: due.filter((d) => !notRunning.includes(d)), notRunning, allowed };
}

/** Per instance, from the index (newest first): its newest attempt, its newest restorable backup, and the RPO lead. */
function instanceHistories(
  catalog: Pick<CatalogIndexView, 'entries' | 'durations'>,
  now: Date,
  restoreMarginMs: number,
  tick: number,
): Map<string, InstanceHistory> {
  const history = new Map<string, InstanceHistory>();
  for (const [key, mine] of groupBy(catalog.entries, (e) => e.service.toLowerCase())) {
    const restorable = newestRestorable(mine, now, restoreMarginMs);
    history.set(key, {
      last: { createdAt: new Date(mine[0]!.createdAt), state: mine[0]!.state },
      newestRestorableAt: restorable ? new Date(restorable.createdAt) : undefined,
      leadMs: rpoLeadMs(durationStats(catalog.durations.get(key) ?? []), tick),
    });
  }
  return history;
}

const tickIntervals = new Map<string, number>();

/** The tick's own interval, from its schedule setting: a retry after a failure starts at the next tick. */
function tickMs(services: Services): number {
  const schedule = services.settings[TICK_SCHEDULE_SETTING] ?? DEFAULT_APP_SETTINGS[TICK_SCHEDULE_SETTING]!;
  let interval = tickIntervals.get(schedule);
  if (interval === undefined) {
    interval = scheduleIntervalMs(schedule, new Date(0));
    tickIntervals.set(schedule, interval);
  }
  return interval;
}
