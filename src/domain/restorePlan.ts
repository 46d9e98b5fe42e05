/**
 * Which standby syncs and drills are due now: pure planning over the config, the catalog and the restore records.
 * One restore per target at a time, and always the newest restorable backup, so a newer backup supersedes one
 * that was waiting for the target to be free.
 */
import { parseBackupName, type BackupTrigger } from './backupName';
import { newestRestorable, type ExpiringBackup } from './expiry';
import type { RestorePurpose, RestoreRecord } from './restoreRecord';
import { previousOccurrence } from './schedule';

export interface PlannedSource {
  name: string;
  id: string;
  standbys: { name: string; id: string; sync: string }[];
  drill?: { name: string; id: string; schedule: string };
}

export type SourceBackup = ExpiringBackup & { trigger: BackupTrigger };

export interface PlannedRestore {
  source: string;
  sourceId: string;
  target: string;
  targetId: string;
  purpose: Extract<RestorePurpose, 'sync' | 'drill'>;
  /** Undefined for a drill with nothing restorable: it runs anyway, and is refused, which is its finding. */
  backupName?: string;
  reason: 'after-backup' | 'schedule';
  /** Newer than what the target holds, older than what it gets: never restored into it. */
  superseded: string[];
}

export interface RestorePlanInput {
  sources: PlannedSource[];
  /** Per source name (lower case): its backups, newest first. */
  backups: Map<string, SourceBackup[]>;
  /** Per target name (lower case): its restore records, newest first. */
  records: Map<string, RestoreRecord[]>;
  /** Names (lower case) of targets a restore is running into. */
  busy: Set<string>;
  now: Date;
  restoreMarginMs: number;
}

/** A pre-restore backup holds the state a restore replaced: never something to sync onward. */
const SYNCABLE = (b: SourceBackup) => b.trigger !== 'pre-restore';

export function planRestores(input: RestorePlanInput): PlannedRestore[] {
  const planned: PlannedRestore[] = [];
  const taken = new Set(input.busy);
  const add = (p: PlannedRestore) => {
    if (taken.has(p.target.toLowerCase())) return;
    taken.add(p.target.toLowerCase());
    planned.push(p);
  };
  for (const source of input.sources) {
    const backups = input.backups.get(source.name.toLowerCase()) ?? [];
    const newest = newestRestorable(backups.filter(SYNCABLE), input.now, input.restoreMarginMs);
    for (const standby of source.standbys) {
      const due = syncDue(standby.sync, source.name, newest, input.records.get(standby.name.toLowerCase()) ?? [], input.now);
      if (!due || !newest) continue;
      add({
        source: source.name,
        sourceId: source.id,
        target: standby.name,
        targetId: standby.id,
        purpose: 'sync',
        backupName: newest.backupName,
        reason: due.reason,
        superseded: backups
          .filter((b) => SYNCABLE(b) && b.state === 'succeeded' && nameTime(b.backupName) > due.heldAt && nameTime(b.backupName) < nameTime(newest.backupName))
          .map((b) => b.backupName),
      });
    }
    const drillRecords = input.records.get(source.drill?.name.toLowerCase() ?? '') ?? [];
    if (source.drill && drillDue(source.drill.schedule, source.name, drillRecords, newest !== undefined, input.now)) {
      add({
        source: source.name,
        sourceId: source.id,
        target: source.drill.name,
        targetId: source.drill.id,
        purpose: 'drill',
        backupName: newest?.backupName,
        reason: 'schedule',
        superseded: [],
      });
    }
  }
  return planned;
}

/**
 * `after-backup`: the newest backup is newer than the one last tried on the standby (tried once: a failed sync
 * is not retried with the same backup). A schedule: it fired since the last sync, and the standby is behind.
 */
function syncDue(
  sync: string,
  source: string,
  newest: SourceBackup | undefined,
  records: readonly RestoreRecord[],
  now: Date,
): { reason: PlannedRestore['reason']; heldAt: number } | undefined {
  if (sync === 'manual' || !newest) return undefined;
  const fromSource = records.filter((r) => r.source.toLowerCase() === source.toLowerCase() && r.backupName);
  const tried = fromSource[0];
  const held = fromSource.find((r) => r.state === 'succeeded');
  if (sync === 'after-backup') {
    const triedAt = nameTime(tried?.backupName);
    return nameTime(newest.backupName) > triedAt ? { reason: 'after-backup', heldAt: triedAt } : undefined;
  }
  const occurrence = previousOccurrence(sync, now);
  const lastSync = records.find((r) => r.purpose === 'sync' && r.source.toLowerCase() === source.toLowerCase());
  if (!occurrence || (lastSync && Date.parse(lastSync.requestedAt) >= occurrence.getTime())) return undefined;
  const heldAt = nameTime(held?.backupName);
  return nameTime(newest.backupName) > heldAt ? { reason: 'schedule', heldAt } : undefined;
}

/**
 * A drill runs once per occurrence of its schedule. The first waits for the source's first restorable backup and
 * then runs at once (run before it, it could only fail, and the next try would be a whole schedule later); after
 * that, a drill with nothing restorable runs anyway, and its refusal is the finding.
 */
function drillDue(schedule: string, source: string, records: readonly RestoreRecord[], restorable: boolean, now: Date): boolean {
  const last = records.find((r) => r.purpose === 'drill' && r.source.toLowerCase() === source.toLowerCase());
  if (!last) return restorable;
  const occurrence = previousOccurrence(schedule, now);
  return occurrence !== undefined && Date.parse(last.requestedAt) < occurrence.getTime();
}

/** When a backup was asked for, from its name (0 for none): the one clock both sides of a comparison share. */
function nameTime(backupName: string | undefined): number {
  return (backupName && parseBackupName(backupName)?.createdAt.getTime()) || 0;
}
