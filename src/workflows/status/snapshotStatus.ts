/** Snapshot protection per instance with `snapshots` in the config (its newest snapshot, its age against the RPO), and the standbys snapshots keep. */
import { protectedServices } from '../../config/resolveService';
import type { Services } from '../../services';
import { snapshotStandbySync } from '../../domain/snapshotStandbySync';
import type { StandbySync } from '../../domain/standbySync';
import { snapshotOnlyServices } from '../snapshot/snapshotTick';
import { applyRecordsOf, snapshotSyncSources } from '../snapshot/startSnapshotSyncs';

export interface SnapshotProtection {
  /** True for a v2 instance: snapshots are its only protection. */
  only: boolean;
  newest?: { snapshotName: string; takenAt: string; ageMs: number };
  rpoBreached: boolean;
}

export async function snapshotStatuses(services: Services): Promise<Map<string, SnapshotProtection>> {
  const configured = protectedServices(services.config).filter((s) => s.config.snapshots);
  const result = new Map<string, SnapshotProtection>();
  if (configured.length === 0) return result;
  const [entries, only] = await Promise.all([services.snapshots.list(), snapshotOnlyServices(services)]);
  const now = services.clock.now().getTime();
  for (const s of configured) {
    const key = s.ref.name.toLowerCase();
    const newest = entries.find((e) => !e.scoped && e.service.toLowerCase() === key);
    const ageMs = newest ? now - Date.parse(newest.takenAt) : undefined;
    result.set(key, {
      only: only.has(key),
      newest: newest && ageMs !== undefined ? { snapshotName: newest.snapshotName, takenAt: newest.takenAt, ageMs } : undefined,
      rpoBreached: ageMs === undefined || ageMs > s.rpoMs,
    });
  }
  return result;
}

/**
 * The standbys snapshots keep in sync, each from the newest apply into it, keyed `<source>→<standby>` (lower case).
 * Standbys kept by native restores are not in it.
 */
export async function snapshotStandbyStatuses(services: Services): Promise<Map<string, StandbySync>> {
  const sources = await snapshotSyncSources(services);
  const result = new Map<string, StandbySync>();
  if (sources.length === 0) return result;
  const [entries, records] = await Promise.all([services.snapshots.list(), applyRecordsOf(services, sources)]);
  for (const s of sources) {
    const mine = entries.filter((e) => e.service.toLowerCase() === s.name.toLowerCase()).map((e) => e.snapshotName);
    for (const b of s.standbys) {
      const sync = snapshotStandbySync({ service: b.name, sync: b.sync }, s.name, mine, records.get(b.name.toLowerCase()) ?? []);
      result.set(`${s.name}→${b.name}`.toLowerCase(), sync);
    }
  }
  return result;
}
