/** How far behind its source a standby is: the newest restorable backup against the one last restored into it. */
import { parseBackupName } from './backupName';
import type { RestoreRecord } from './restoreRecord';

export type StandbySyncState = 'in-sync' | 'behind' | 'never-restored' | 'restoring' | 'failed';

export interface StandbySync {
  service: string;
  sync: string;
  state: StandbySyncState;
  /** Source backup time minus restored backup time; absent until a restore from this source succeeded. */
  lagMs?: number;
  lastRestore?: {
    backupName?: string;
    state: RestoreRecord['state'];
    requestedBy: string;
    requestedAt: string;
    completedAt?: string;
    rtoMs?: number;
    error?: string;
  };
}

/**
 * `records` are the standby's restore records, newest first; only those from `source` count.
 * `newestSourceBackup` is the source's newest restorable backup, if any.
 */
export function standbySync(
  standby: { service: string; sync: string },
  source: string,
  newestSourceBackup: { createdAt: string } | undefined,
  records: readonly RestoreRecord[],
): StandbySync {
  const fromSource = records.filter((r) => r.source.toLowerCase() === source.toLowerCase());
  const latest = fromSource[0];
  const lastGood = fromSource.find((r) => r.state === 'succeeded');
  const restoredAt = lastGood?.backupName ? parseBackupName(lastGood.backupName)?.createdAt : undefined;
  // A backup's name holds its time to the second; its createdAt may hold milliseconds: compare to the second.
  const newestAt = newestSourceBackup ? Math.floor(Date.parse(newestSourceBackup.createdAt) / 1000) * 1000 : undefined;
  const lagMs = restoredAt ? Math.max(0, (newestAt ?? restoredAt.getTime()) - restoredAt.getTime()) : undefined;
  const state: StandbySyncState =
    latest?.state === 'running'
      ? 'restoring'
      : latest?.state === 'failed'
        ? 'failed'
        : lagMs === undefined
          ? 'never-restored'
          : lagMs === 0
            ? 'in-sync'
            : 'behind';
  return {
    ...standby,
    state,
    lagMs,
    lastRestore: latest && {
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
