/**
 * The snapshot side of the schedule tick: every instance with `snapshots` in the config gets a snapshot when its
 * schedule, its RPO or a quiet burst of changes says so. One listing of the snapshots and one of the change log.
 */
import { DEFAULT_APP_SETTINGS, TICK_SCHEDULE_SETTING } from '../../config/appSettings';
import { protectedServices } from '../../config/resolveService';
import { planDueSnapshots, type SnapshotProtected } from '../../domain/dueSnapshots';
import { formatDuration } from '../../domain/duration';
import type { Observation } from '../../domain/incidents';
import { scheduleIntervalMs } from '../../domain/rpoPlan';
import { isV2 } from '../../domain/snapshot/tierLimits';
import type { Services } from '../../services';
import type { OrchestrationStarter } from '../starter';
import { instanceTier } from './instanceTier';
import { requestSnapshot } from './requestSnapshot';
import { UserError } from '../../errors';

export async function runSnapshotTick(services: Services, starter: OrchestrationStarter): Promise<{ started: string[]; coalesced: string[] }> {
  const protectedBySnapshots = protectedServices(services.config)
    .filter((s) => s.config.snapshots && s.config.enabled)
    .map((s) => ({
      name: s.ref.name,
      subscriptionId: s.ref.subscriptionId,
      schedule: s.config.snapshots!.schedule,
      rpoMs: s.rpoMs,
      afterChange: s.config.snapshots!.afterChange,
      quietMs: s.config.events?.quietPeriod ?? 5 * 60_000,
    }));
  if (protectedBySnapshots.length === 0) return { started: [], coalesced: [] };
  const [entries, changes] = await Promise.all([services.snapshots.list(), services.changes.pending()]);
  const newest = new Map<string, number>();
  // A scoped snapshot (the way back of an --only apply) holds part of the instance: it protects nothing.
  for (const e of entries) if (!e.scoped && !newest.has(e.service.toLowerCase())) newest.set(e.service.toLowerCase(), Date.parse(e.takenAt));
  const tick = scheduleIntervalMs(services.settings[TICK_SCHEDULE_SETTING] ?? DEFAULT_APP_SETTINGS[TICK_SCHEDULE_SETTING]!, new Date(0));
  const now = services.clock.now();
  const due = planDueSnapshots(protectedBySnapshots, newest, changes, now, tick);
  await observeSnapshotRpo(services, protectedBySnapshots, newest, now);
  const started: string[] = [];
  const coalesced: string[] = [];
  for (const d of due) {
    let requested: Awaited<ReturnType<typeof requestSnapshot>>;
    try {
      requested = await requestSnapshot(services, starter, d.name, d.trigger, 'apim-dr schedule');
    } catch (err) {
      // Held by a restore or an apply into it: the next tick takes it, once that has ended.
      if (err instanceof UserError && err.code === 'TargetBusy') {
        services.logger.event('apim-dr.snapshot.held', { service: d.name, reason: err.message });
        continue;
      }
      throw err;
    }
    (requested.started ? started : coalesced).push(d.name);
    if (requested.started) services.logger.event('apim-dr.snapshot.started', { service: d.name, trigger: d.trigger, reason: d.reason });
  }
  return { started, coalesced };
}

/**
 * The alert rule's signal and the incidents, as for backups: the newest snapshot is older than the RPO. An instance
 * never snapshotted is not judged here (its first snapshot is started by this tick). While ARM is down in an
 * instance's subscription its incident neither opens nor closes: the outage is the incident.
 */
async function observeSnapshotRpo(
  services: Services,
  instances: (SnapshotProtected & { subscriptionId: string })[],
  newest: Map<string, number>,
  now: Date,
): Promise<void> {
  const outages = await services.armHealth.read();
  const at = now.toISOString();
  const observations: Observation[] = [];
  for (const s of instances) {
    const last = newest.get(s.name.toLowerCase());
    if (last === undefined) continue;
    const ageMs = now.getTime() - last;
    if (ageMs > s.rpoMs) services.logger.event('apim-dr.snapshot.rpo.breach', { service: s.name, ageMs, rpoMs: s.rpoMs }, 'warn');
    if (outages[s.subscriptionId]) continue;
    observations.push({
      kind: 'snapshot.rpo.breach',
      subject: s.name,
      active: ageMs > s.rpoMs,
      at,
      detail: `newest snapshot is ${formatDuration(ageMs)} old (RPO ${formatDuration(s.rpoMs)})`,
    });
  }
  await services.notifier.observe(observations);
}

/**
 * Instances on a v2 tier, protected by snapshots alone, never by native backups. Their newest snapshot's manifest
 * says the tier; before the first snapshot, one GET of the instance does.
 */
export async function snapshotOnlyServices(services: Services): Promise<Set<string>> {
  const found = new Set<string>();
  for (const s of protectedServices(services.config).filter((p) => p.config.snapshots)) {
    const tier = await instanceTier(services, s.ref);
    if (tier && isV2(tier)) found.add(s.ref.name.toLowerCase());
  }
  return found;
}
