/** Snapshot protection per instance with `snapshots` in the config: its newest snapshot, its age against the RPO. */
import { protectedServices } from '../../config/resolveService';
import type { Services } from '../../services';
import { snapshotOnlyServices } from '../snapshot/snapshotTick';

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
    const newest = entries.find((e) => e.service.toLowerCase() === key);
    const ageMs = newest ? now - Date.parse(newest.takenAt) : undefined;
    result.set(key, {
      only: only.has(key),
      newest: newest && ageMs !== undefined ? { snapshotName: newest.snapshotName, takenAt: newest.takenAt, ageMs } : undefined,
      rpoBreached: ageMs === undefined || ageMs > s.rpoMs,
    });
  }
  return result;
}
