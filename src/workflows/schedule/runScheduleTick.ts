/**
 * The schedule tick: start the backups that are due (by schedule, or after a burst of configuration changes)
 * within the per-subscription limit, and warn about unprotected instances.
 */
import { protectedServices, type ResolvedService } from '../../config/resolveService';
import type { CatalogIndexView } from '../../azure/catalogIndex';
import { DEFAULT_APP_SETTINGS, TICK_SCHEDULE_SETTING } from '../../config/appSettings';
import { applyConcurrencyLimit, planDueBackups, type InstanceHistory, type ScheduledService } from '../../domain/dueBackups';
import { newestRestorable } from '../../domain/expiry';
import { groupBy } from '../../domain/groupBy';
import { durationStats, rpoLeadMs, scheduleIntervalMs } from '../../domain/rpoPlan';
import { backupInstanceId, restoreInstanceId } from '../../domain/instanceIds';
import { consumeBurst, isBurstDue, type PendingChanges } from '../../domain/pendingChanges';
import type { Services } from '../../services';
import { requestBackup } from '../backup/requestBackup';
import type { BackupRequest } from '../backup/types';
import { ensureError } from '../../errors';
import type { OrchestrationStarter } from '../starter';
import { settleEach } from '../settleEach';
import { assessFleet, emitProtectionAlerts } from '../status/assessFleet';
import type { ServiceRef } from '../../domain/resourceId';
import { probeArm } from './armCircuit';
import { snapshotOnlyServices } from '../snapshot/snapshotTick';
import { startSnapshotSyncs } from '../snapshot/startSnapshotSyncs';
import { reconcileMigrations, reconcileOrphans } from './reconcile';
import { refreshDiscovery } from './refreshDiscovery';
import { readRestoreTargets, reconcileRestores, startPlannedRestores } from './startPlannedRestores';

export interface TickResult {
  due: number;
  started: string[];
  coalesced: string[];
  deferred: string[];
  /** Standby syncs and drills started, as `source→target`. */
  syncs: string[];
  drills: string[];
  /** Running backups, restore records and migration records that had lost their watcher and were adopted again. */
  reconciled: string[];
  /** Subscriptions where ARM does not answer: their new backups wait. */
  armUnreachable: string[];
  /** Due instances whose start failed this tick (logged one by one); they stay due. */
  failed: string[];
}

export async function runScheduleTick(services: Services, starter: OrchestrationStarter, correlationId: string): Promise<TickResult> {
  const now = services.clock.now();
  // First the tag-discovered fleet (on its own schedule), so an instance found now is backed up in this very tick.
  await refreshDiscovery(services, correlationId);
  // A v2 instance has no native backup: its snapshots protect it (snapshotTick.ts).
  const snapshotOnly = await snapshotOnlyServices(services);
  const resolved = protectedServices(services.config).filter((s) => !snapshotOnly.has(s.ref.name.toLowerCase()));
  const byId = new Map(resolved.map((s) => [s.ref.id.toLowerCase(), s]));
  const scheduled = resolved.map(toScheduled);

  // The catalog as the index keeps it: every instance's newest entries, running ones, and recent durations.
  const [catalog, pending, running, restoring, outagesBefore, restoreTargets] = await Promise.all([
    services.catalogIndex.view(),
    services.changes.pending(),
    starter.running('backup-'),
    starter.running('restore-'),
    services.armHealth.read(),
    readRestoreTargets(services),
  ]);
  const { entries } = catalog;
  const tick = tickMs(services);
  const history = instanceHistories(catalog, now, services.config.defaults.restoreMargin, tick);
  const newestSucceeded = new Map<string, number>();
  for (const entry of entries) {
    const key = entry.service.toLowerCase();
    if (entry.state === 'succeeded' && !newestSucceeded.has(key)) newestSucceeded.set(key, Date.parse(entry.createdAt));
  }
  const runningIds = new Set(running);
  const isRunning = (s: ScheduledService) => runningIds.has(backupInstanceId(s.name, s.id));
  // A restore into an instance holds its backups until it has finished; the instance stays due meanwhile.
  const restoringIds = new Set(restoring);
  const isRestoring = (s: ScheduledService) => restoringIds.has(restoreInstanceId(s.name, s.id));

  // First give every orphaned running backup a watcher: it holds its instance until ARM says how it ended.
  const reconciled = await reconcileOrphans(
    services,
    starter,
    resolved,
    entries,
    (s) => isRunning(toScheduled(s)) || isRestoring(toScheduled(s)),
    correlationId,
  );
  for (const { service } of reconciled) runningIds.add(backupInstanceId(service.ref.name, service.ref.id));
  // And every orphaned restore record: it holds its target, so no backup of the target starts under it.
  const reconciledRestores = await reconcileRestores(services, starter, restoreTargets, restoringIds, correlationId);
  const reconciledMigrations = await reconcileMigrations(services, starter, restoringIds, correlationId);
  for (const { instanceId } of [...reconciledRestores, ...reconciledMigrations]) restoringIds.add(instanceId);

  const due = planDueBackups(scheduled, history, now, { retryFailedAfterMs: services.config.defaults.retryFailedAfter, retryAtStakeMs: tick });
  const dueNames = new Set(due.map((d) => d.service.name.toLowerCase()));
  for (const service of resolved) {
    const burst = pending.get(service.ref.name.toLowerCase());
    const events = service.config.events;
    if (!burst || !events?.enabled || dueNames.has(service.ref.name.toLowerCase()) || isRunning(toScheduled(service))) continue;
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
  for (const s of scheduled) if (isRunning(s)) runningPerSubscription.set(s.subscriptionId, (runningPerSubscription.get(s.subscriptionId) ?? 0) + 1);
  const notRunning = due.filter((d) => !isRunning(d.service));
  const startable = notRunning.filter((d) => !isRestoring(d.service));
  const allowed = applyConcurrencyLimit(startable, runningPerSubscription, services.config.defaults.concurrencyPerSubscription);

  // The circuit: probe ARM in each subscription with new work (and each one known to be down) before starting any.
  const probes = new Map<string, ServiceRef>();
  for (const d of allowed) probes.set(d.service.subscriptionId, byId.get(d.service.id.toLowerCase())!.ref);
  for (const subscriptionId of Object.keys(outagesBefore)) {
    const any = resolved.find((s) => s.ref.subscriptionId === subscriptionId);
    if (any && !probes.has(subscriptionId)) probes.set(subscriptionId, any.ref);
  }
  const outages = probes.size ? await probeArm(services, outagesBefore, probes, correlationId) : outagesBefore;
  const chosen = allowed.filter((d) => !outages[d.service.subscriptionId]);
  // While ARM is down in a subscription, its instances' RPO incidents neither open nor close: the outage is the incident.
  const quiet = new Set(resolved.filter((s) => outages[s.ref.subscriptionId]).map((s) => s.ref.name.toLowerCase()));
  const backedUp = assessFleet(services, entries, now).filter((p) => !snapshotOnly.has(p.service.toLowerCase()));
  await emitProtectionAlerts(services, backedUp, correlationId, quiet);

  const result: TickResult = {
    due: due.length,
    started: [],
    coalesced: due.filter((d) => !notRunning.includes(d)).map((d) => d.service.name),
    deferred: notRunning.filter((d) => !chosen.includes(d)).map((d) => d.service.name),
    armUnreachable: Object.keys(outages),
    failed: [],
    syncs: [],
    drills: [],
    reconciled: [...reconciled.map((r) => r.backupName), ...[...reconciledRestores, ...reconciledMigrations].map((r) => r.recordName)],
  };
  const failedStarts = await settleEach(chosen, services.config.defaults.startConcurrency, async (d) => {
    const events = pending.has(d.service.name.toLowerCase()) ? await takeBurst(services, d.service.name) : undefined;
    const trigger = d.reason === 'events' ? 'event' : 'scheduled';
    const requested = await requestBackup(services.config, starter, d.service.id, trigger, trigger === 'event' ? 'events' : 'schedule', correlationId, events);
    (requested.started ? result.started : result.coalesced).push(d.service.name);
  });
  // An instance that could not be started stays due: the next tick tries it again. The rest of the tick goes on.
  for (const { item, error } of failedStarts) {
    result.failed.push(item.service.name);
    services.logger.event('apim-dr.schedule.start-failed', { correlationId, service: item.service.name, error: ensureError(error).message }, 'error');
  }
  // Standbys that snapshots keep in sync (a v2 source or standby) get the newest snapshot applied, not a restore.
  const snapshotSyncs = await startSnapshotSyncs(services, starter, correlationId, snapshotOnly);
  result.syncs.push(...snapshotSyncs.started.map((p) => `${p.source}→${p.target}`));
  for (const r of await startPlannedRestores(services, starter, entries, restoreTargets, restoringIds, correlationId, snapshotSyncs.targets)) {
    (r.purpose === 'sync' ? result.syncs : result.drills).push(`${r.source}→${r.target}`);
  }
  services.logger.event('apim-dr.schedule.tick', {
    correlationId,
    due: result.due,
    started: result.started.length,
    coalesced: result.coalesced.length,
    deferred: result.deferred,
    syncs: result.syncs,
    drills: result.drills,
    reconciled: result.reconciled,
    armUnreachable: result.armUnreachable,
    failed: result.failed,
  });
  return result;
}

/** Consumes the instance's pending burst (before the backup is requested, so no later change is lost). */
async function takeBurst(services: Services, service: string): Promise<BackupRequest['events']> {
  let taken: PendingChanges | undefined;
  await services.changes.update(service, (state) => {
    taken = state;
    return state.count ? consumeBurst(state) : state;
  });
  return taken?.count ? { count: taken.count, ids: taken.ids } : undefined;
}

function toScheduled(s: ResolvedService): ScheduledService {
  return { id: s.ref.id, name: s.ref.name, subscriptionId: s.ref.subscriptionId, schedule: s.schedule, rpoMs: s.rpoMs, enabled: s.config.enabled };
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
