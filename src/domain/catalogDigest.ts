/**
 * What the tick and the status need of one instance's catalog, however long its history: a handful of its entries
 * (the newest few, every running one, the newest success, the newest success a standby may sync, the newest failure,
 * the newest that names a platform) and the durations of its recent successes. Newer successes expire later, so the
 * newest success kept is the newest restorable backup whenever there is one. Pure.
 */
import type { BackupTrigger } from './backupName';
import { RECENT_SUCCESSES } from './rpoPlan';

/** The newest entries kept whatever their state: the last attempt, and what a standby sync would supersede. */
export const DIGEST_NEWEST = 3;

export interface DigestEntry {
  backupName: string;
  createdAt: string;
  state: 'running' | 'succeeded' | 'failed' | 'expired';
  trigger: BackupTrigger;
  completedAt?: string;
  archivedAt?: string;
  platform?: string;
}

export interface InstanceDigest<E extends DigestEntry> {
  /** Newest first. */
  entries: E[];
  /** The newest successes' durations (request to completion), newest first, by backup name so that merging is idempotent. */
  durations: { backupName: string; ms: number }[];
}

/** The digest of one instance's entries (any order), with `known` durations of successes no longer among them. */
export function digestEntries<E extends DigestEntry>(entries: readonly E[], known: InstanceDigest<E>['durations'] = []): InstanceDigest<E> {
  const newestFirst = [...entries].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const kept = new Set<E>(newestFirst.slice(0, DIGEST_NEWEST));
  const keepFirst = (match: (e: E) => boolean) => {
    const found = newestFirst.find(match);
    if (found) kept.add(found);
  };
  for (const e of newestFirst) if (e.state === 'running') kept.add(e);
  keepFirst((e) => e.state === 'succeeded' && !e.archivedAt);
  keepFirst((e) => e.state === 'succeeded' && !e.archivedAt && e.trigger !== 'pre-restore');
  keepFirst((e) => e.state === 'failed');
  keepFirst((e) => !!e.platform);

  const durations = new Map(known.map((d) => [d.backupName, d.ms]));
  for (const e of newestFirst) {
    const ms = e.state === 'succeeded' && e.completedAt ? Date.parse(e.completedAt) - Date.parse(e.createdAt) : 0;
    if (ms > 0) durations.set(e.backupName, ms);
  }
  return {
    entries: newestFirst.filter((e) => kept.has(e)),
    // Backup names sort by time within an instance.
    durations: [...durations]
      .sort(([a], [b]) => b.localeCompare(a))
      .slice(0, RECENT_SUCCESSES)
      .map(([backupName, ms]) => ({ backupName, ms })),
  };
}

/** The digest after `entry` was written (created, settled or changed): idempotent. */
export function mergeDigest<E extends DigestEntry>(digest: InstanceDigest<E> | undefined, entry: E): InstanceDigest<E> {
  const others = (digest?.entries ?? []).filter((e) => e.backupName !== entry.backupName);
  return digestEntries([...others, entry], digest?.durations);
}
