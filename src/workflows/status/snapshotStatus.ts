/** Snapshot protection per instance with `snapshots` in the config (its newest snapshot, its age against the RPO), and the standbys snapshots keep. */
import { protectedServices, type ResolvedService } from '../../config/resolveService';
import type { Services } from '../../services';
import { snapshotStandbySync } from '../../domain/snapshotStandbySync';
import type { StandbySync } from '../../domain/standbySync';
import { snapshotOnlyServices } from '../snapshot/snapshotTick';
import type { SnapshotEntry } from '../../azure/snapshot/snapshotStore';
import type { SnapshotSyncSource } from '../../domain/snapshotSyncPlan';
import { applyRecordsOf, snapshotSyncSources } from '../snapshot/startSnapshotSyncs';

export interface SnapshotProtection {
  /** True for a v2 instance: snapshots are its only protection. */
  only: boolean;
  newest?: { snapshotName: string; takenAt: string; ageMs: number };
  rpoBreached: boolean;
}

export interface SnapshotStatuses {
  /** Per instance with `snapshots` in the config, keyed by lower-case name. */
  protection: Map<string, SnapshotProtection>;
  /** The standbys snapshots keep in sync, keyed `<source>→<standby>` (lower case); those kept by native restores are not in it. */
  standbys: Map<string, StandbySync>;
}

/** Both from one listing of the snapshots and one look at which instances are on v2 tiers. */
export async function snapshotStatuses(services: Services): Promise<SnapshotStatuses> {
  const configured = protectedServices(services.config).filter((s) => s.config.snapshots);
  if (configured.length === 0) return { protection: new Map(), standbys: new Map() };
  const [entries, only] = await Promise.all([services.snapshots.list(), snapshotOnlyServices(services)]);
  const sources = await snapshotSyncSources(services, only);
  return { protection: protectionOf(services, configured, entries, only), standbys: await standbysOf(services, sources, entries) };
}

function protectionOf(
  services: Services,
  configured: ResolvedService[],
  entries: readonly SnapshotEntry[],
  only: ReadonlySet<string>,
): Map<string, SnapshotProtection> {
  const result = new Map<string, SnapshotProtection>();
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

/** Each standby snapshots keep, from the newest apply into it. */
async function standbysOf(services: Services, sources: readonly SnapshotSyncSource[], entries: readonly SnapshotEntry[]): Promise<Map<string, StandbySync>> {
  const result = new Map<string, StandbySync>();
  if (sources.length === 0) return result;
  const records = await applyRecordsOf(services, sources);
  for (const s of sources) {
    const mine = entries.filter((e) => e.service.toLowerCase() === s.name.toLowerCase()).map((e) => e.snapshotName);
    for (const b of s.standbys) {
      const sync = snapshotStandbySync({ service: b.name, sync: b.sync }, s.name, mine, records.get(b.name.toLowerCase()) ?? []);
      result.set(`${s.name}→${b.name}`.toLowerCase(), sync);
    }
  }
  return result;
}
