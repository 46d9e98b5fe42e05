/**
 * The snapshot side of the schedule tick: every instance with `snapshots` in the config gets a snapshot when its
 * schedule, its RPO or a quiet burst of changes says so. One listing of the snapshots and one of the change log.
 */
import { DEFAULT_APP_SETTINGS, TICK_SCHEDULE_SETTING } from '../../config/appSettings';
import { protectedServices } from '../../config/resolveService';
import { planDueSnapshots, type SnapshotProtected } from '../../domain/dueSnapshots';
import { scheduleIntervalMs } from '../../domain/rpoPlan';
import { isV2 } from '../../domain/snapshot/tierLimits';
import type { Services } from '../../services';
import type { OrchestrationStarter } from '../starter';
import { instanceTier } from './instanceTier';
import { requestSnapshot } from './requestSnapshot';

export async function runSnapshotTick(services: Services, starter: OrchestrationStarter): Promise<{ started: string[]; coalesced: string[] }> {
  const protectedBySnapshots: SnapshotProtected[] = protectedServices(services.config)
    .filter((s) => s.config.snapshots && s.config.enabled)
    .map((s) => ({
      name: s.ref.name,
      schedule: s.config.snapshots!.schedule,
      rpoMs: s.rpoMs,
      afterChange: s.config.snapshots!.afterChange,
      quietMs: s.config.events?.quietPeriod ?? 5 * 60_000,
    }));
  if (protectedBySnapshots.length === 0) return { started: [], coalesced: [] };
  const [entries, changes] = await Promise.all([services.snapshots.list(), services.changes.pending()]);
  const newest = new Map<string, number>();
  for (const e of entries) if (!newest.has(e.service.toLowerCase())) newest.set(e.service.toLowerCase(), Date.parse(e.takenAt));
  const tick = scheduleIntervalMs(services.settings[TICK_SCHEDULE_SETTING] ?? DEFAULT_APP_SETTINGS[TICK_SCHEDULE_SETTING]!, new Date(0));
  const now = services.clock.now();
  const due = planDueSnapshots(protectedBySnapshots, newest, changes, now, tick);
  // The alert rule's signal, as for backups: the newest snapshot is older than the RPO.
  for (const s of protectedBySnapshots) {
    const last = newest.get(s.name.toLowerCase());
    if (last !== undefined && now.getTime() - last > s.rpoMs) {
      services.logger.event('apim-dr.snapshot.rpo.breach', { service: s.name, ageMs: now.getTime() - last, rpoMs: s.rpoMs }, 'warn');
    }
  }
  const started: string[] = [];
  const coalesced: string[] = [];
  for (const d of due) {
    const requested = await requestSnapshot(services, starter, d.name, d.trigger, 'apim-dr schedule');
    (requested.started ? started : coalesced).push(d.name);
    if (requested.started) services.logger.event('apim-dr.snapshot.started', { service: d.name, trigger: d.trigger, reason: d.reason });
  }
  return { started, coalesced };
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
