/**
 * What a standby holds and how far behind its source it is. Derived from the newest restore into it, whatever its
 * source: a rollback (or a restore from another instance) replaces what the primary's restore put there, so the standby
 * is `diverged` from then until a restore from the primary brings it back.
 */
import { parseBackupName } from './backupName';
import type { RestoreRecord } from './restoreRecord';

export type StandbySyncState = 'in-sync' | 'behind' | 'diverged' | 'never-restored' | 'restoring' | 'failed';

export interface StandbySync {
  service: string;
  sync: string;
  state: StandbySyncState;
  /** Source backup time minus restored backup time; absent unless the newest good restore came from this source. */
  lagMs?: number;
  /** How it is kept in sync: native restores of backups (absent) or applies of snapshots (`snapshot`, see snapshotStandbySync). */
  via?: 'snapshot';
  /** When diverged: the backup (or snapshot) it now holds, whose it is, how it got there and since when. */
  holds?: { backupName?: string; snapshotName?: string; source: string; purpose: RestoreRecord['purpose'] | 'apply'; since?: string; recordName: string };
  lastRestore?: {
    recordName: string;
    purpose: RestoreRecord['purpose'];
    /** The backup its rollback would restore, if it took one: then `apim-dr restore --rollback <recordName>` undoes it. */
    preRestoreBackup?: string;
    backupName?: string;
    state: RestoreRecord['state'];
    requestedBy: string;
    requestedAt: string;
    completedAt?: string;
    rtoMs?: number;
    error?: string;
  };
  /** When kept by snapshots: the newest apply into it, from any source. */
  lastApply?: {
    recordName: string;
    snapshotName: string;
    source: string;
    purpose: 'apply' | 'sync';
    state: 'succeeded' | 'partial' | 'failed' | 'refused';
    verdict: string;
    requestedBy: string;
    startedAt: string;
    completedAt: string;
    rtoMs: number;
    /** Resources the apply could not write, and ones that read back different. */
    failed: number;
    mismatched: number;
    /** Secrets the snapshot lacks that nothing supplied: resources left unwritten, or written without them. */
    secretsLeftOut?: number;
    /** App settings the standby's `secrets` names that were not set when it ran. */
    missingSettings?: string[];
  };
}

/**
 * `records` are the standby's restore records, newest first, from any source. `newestSourceBackup` is the source's
 * newest restorable backup, if any.
 */
export function standbySync(
  standby: { service: string; sync: string },
  source: string,
  newestSourceBackup: { createdAt: string } | undefined,
  records: readonly RestoreRecord[],
): StandbySync {
  const latest = records.find((r) => r.state !== 'refused');
  const lastGood = records.find((r) => r.state === 'succeeded');
  const fromSource = lastGood !== undefined && lastGood.source.toLowerCase() === source.toLowerCase();
  const restoredAt = fromSource && lastGood.backupName ? parseBackupName(lastGood.backupName)?.createdAt : undefined;
  // A backup's name holds its time to the second; its createdAt may hold milliseconds: compare to the second.
  const newestAt = newestSourceBackup ? Math.floor(Date.parse(newestSourceBackup.createdAt) / 1000) * 1000 : undefined;
  const lagMs = restoredAt ? Math.max(0, (newestAt ?? restoredAt.getTime()) - restoredAt.getTime()) : undefined;
  const state: StandbySyncState =
    latest?.state === 'running'
      ? 'restoring'
      : latest?.state === 'failed'
        ? 'failed'
        : lastGood && !fromSource
          ? 'diverged'
          : lagMs === undefined
            ? 'never-restored'
            : lagMs === 0
              ? 'in-sync'
              : 'behind';
  return {
    ...standby,
    state,
    lagMs,
    ...(lastGood && !fromSource
      ? {
          holds: {
            backupName: lastGood.backupName,
            source: lastGood.source,
            purpose: lastGood.purpose,
            since: lastGood.completedAt,
            recordName: lastGood.recordName,
          },
        }
      : {}),
    lastRestore: latest && {
      recordName: latest.recordName,
      purpose: latest.purpose,
      preRestoreBackup: latest.preRestoreBackup,
      backupName: latest.backupName,
      state: latest.state,
      requestedBy: latest.requestedBy,
      requestedAt: latest.requestedAt,
      completedAt: latest.completedAt,
      rtoMs: latest.rtoMs,
      error: latest.error?.message,
    },
  };
}

/** What a diverged standby holds: the backup restored into it, or the snapshot applied to it. */
export function heldName(holds: NonNullable<StandbySync['holds']>): string {
  return holds.backupName ?? holds.snapshotName ?? 'an unknown configuration';
}
