/**
 * Which standbys synced by snapshots are due now: the snapshot counterpart of `planRestores`. Pure planning over the
 * config, the sources' snapshots and the standbys' apply records. One apply per target at a time, always the newest
 * snapshot, so a newer snapshot supersedes one that was waiting for the target to be free.
 */
import type { ApplyRecord } from './snapshot/applyRecord';
import { parseSnapshotName, snapshotNameTime } from './snapshot/snapshotManifest';
import { previousOccurrence } from './schedule';

export interface SnapshotSyncSource {
  name: string;
  id: string;
  /** The standbys this source keeps in sync with snapshots (`sync` is `after-backup` or a schedule). */
  standbys: { name: string; id: string; sync: string; secrets?: Record<string, string>; overrides?: Record<string, string> }[];
}

export interface PlannedSnapshotSync {
  source: string;
  sourceId: string;
  target: string;
  targetId: string;
  snapshotName: string;
  /** `settings`: the last sync missed app settings its standby's `secrets` name, and they are set now. */
  reason: 'after-backup' | 'schedule' | 'settings';
  /** Newer than what the target holds, older than what it gets: never applied to it. */
  superseded: string[];
}

export interface SnapshotSyncPlanInput {
  sources: SnapshotSyncSource[];
  /** Per source name (lower case): its snapshot names, newest first. */
  snapshots: Map<string, string[]>;
  /** Per target name (lower case): its apply records, newest first. */
  records: Map<string, ApplyRecord[]>;
  /** Names (lower case) of targets an apply is running into. */
  busy: Set<string>;
  now: Date;
  /** Whether an app setting is set now (never its value): a sync that missed one is tried again once it is. */
  isSet?: (setting: string) => boolean;
}

/** A pre-apply snapshot holds what an apply replaced: never something to sync onward. */
export const SYNCABLE = (name: string) => parseSnapshotName(name)?.trigger !== 'pre-apply';
/** An apply that wrote the snapshot (in part, where the target's tier or missing secrets said so) holds it. */
export const HOLDS = (r: ApplyRecord) => r.state === 'succeeded' || r.state === 'partial';

export function planSnapshotSyncs(input: SnapshotSyncPlanInput): PlannedSnapshotSync[] {
  const planned: PlannedSnapshotSync[] = [];
  const taken = new Set(input.busy);
  for (const source of input.sources) {
    const syncable = (input.snapshots.get(source.name.toLowerCase()) ?? []).filter(SYNCABLE);
    const newest = syncable[0];
    if (!newest) continue;
    for (const standby of source.standbys) {
      const key = standby.name.toLowerCase();
      const records = input.records.get(key) ?? [];
      const due =
        syncDue(standby.sync, source.name, newest, records, input.now) ??
        (standby.sync === 'manual' ? undefined : settingsNowSet(source.name, newest, records, input.isSet));
      if (!due || taken.has(key)) continue;
      taken.add(key);
      planned.push({
        source: source.name,
        sourceId: source.id,
        target: standby.name,
        targetId: standby.id,
        snapshotName: newest,
        reason: due.reason,
        superseded: syncable.filter((n) => snapshotNameTime(n) > due.heldAt && snapshotNameTime(n) < snapshotNameTime(newest)),
      });
    }
  }
  return planned;
}

/**
 * The newest sync from this source, of the newest snapshot, went without app settings that are all set now: applied
 * again, once (its record then names none missing).
 */
function settingsNowSet(
  source: string,
  newest: string,
  records: readonly ApplyRecord[],
  isSet: SnapshotSyncPlanInput['isSet'],
): { reason: PlannedSnapshotSync['reason']; heldAt: number } | undefined {
  const last = records.find((r) => r.source.toLowerCase() === source.toLowerCase());
  if (!isSet || last?.purpose !== 'sync' || last.snapshotName !== newest || !HOLDS(last)) return undefined;
  const missed = last.missingSettings ?? [];
  return missed.length && missed.every(isSet) ? { reason: 'settings', heldAt: snapshotNameTime(newest) } : undefined;
}

/**
 * `after-backup` (after each snapshot): the newest snapshot is newer than the one last tried on the standby (tried
 * once: a failed sync is not retried with the same snapshot). A schedule: it fired since the last sync, and the standby
 * is behind.
 */
function syncDue(
  sync: string,
  source: string,
  newest: string,
  records: readonly ApplyRecord[],
  now: Date,
): { reason: PlannedSnapshotSync['reason']; heldAt: number } | undefined {
  if (sync === 'manual') return undefined;
  const fromSource = records.filter((r) => r.source.toLowerCase() === source.toLowerCase());
  const newestAt = snapshotNameTime(newest);
  if (sync === 'after-backup') {
    const triedAt = snapshotNameTime(fromSource[0]?.snapshotName);
    return newestAt > triedAt ? { reason: 'after-backup', heldAt: triedAt } : undefined;
  }
  const occurrence = previousOccurrence(sync, now);
  const lastSync = fromSource.find((r) => r.purpose === 'sync');
  if (!occurrence || (lastSync && Date.parse(lastSync.startedAt) >= occurrence.getTime())) return undefined;
  const heldAt = snapshotNameTime(fromSource.find(HOLDS)?.snapshotName);
  return newestAt > heldAt ? { reason: 'schedule', heldAt } : undefined;
}
