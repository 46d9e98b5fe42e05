/** The 30-day restore window of an APIM backup: a fact of the platform, not a setting. All expiry math lives here. */
import { formatDuration } from './duration';

export const RESTORE_WINDOW_MS = 30 * 86_400_000;

export function expiresAt(createdAt: Date): Date {
  return new Date(createdAt.getTime() + RESTORE_WINDOW_MS);
}

export interface ExpiringBackup {
  backupName: string;
  state: 'running' | 'succeeded' | 'failed' | 'expired';
  createdAt: string;
  expiresAt: string;
  archivedAt?: string;
}

export function isExpired(backup: Pick<ExpiringBackup, 'expiresAt'>, now: Date): boolean {
  return now.getTime() >= Date.parse(backup.expiresAt);
}

/** Can this backup be restored now, with `marginMs` to spare before it expires? */
export function isRestorable(backup: ExpiringBackup, now: Date, marginMs: number): boolean {
  return backup.state === 'succeeded' && !backup.archivedAt && now.getTime() < Date.parse(backup.expiresAt) - marginMs;
}

export type RestoreRefusal = { code: 'BackupExpired' | 'BackupExpiringSoon' | 'BackupNotSucceeded' | 'BackupArchived'; message: string };

/**
 * Why a backup may not be restored now, or undefined when it may. The message says when it was created and
 * when it expired (or will), and offers the newest restorable backup of the same instance.
 */
export function restoreRefusal(backup: ExpiringBackup, now: Date, marginMs: number, newestRestorable?: ExpiringBackup): RestoreRefusal | undefined {
  const offer =
    newestRestorable && newestRestorable.backupName !== backup.backupName
      ? ` The newest restorable backup is '${newestRestorable.backupName}' (expires ${newestRestorable.expiresAt}).`
      : ' There is no restorable backup of this instance: take one now.';
  const created = `created ${backup.createdAt}`;
  if (backup.state !== 'succeeded' && backup.state !== 'expired') {
    return { code: 'BackupNotSucceeded', message: `backup '${backup.backupName}' is ${backup.state}, not succeeded.${offer}` };
  }
  if (isExpired(backup, now) || backup.state === 'expired') {
    return {
      code: 'BackupExpired',
      message: `backup '${backup.backupName}' was ${created} and expired ${backup.expiresAt}: APIM restores a backup for 30 days only.${offer}`,
    };
  }
  if (backup.archivedAt) {
    return {
      code: 'BackupArchived',
      message: `backup '${backup.backupName}' was moved to the Archive tier at ${backup.archivedAt}; APIM cannot read it there.${offer}`,
    };
  }
  const left = Date.parse(backup.expiresAt) - now.getTime();
  if (left <= marginMs) {
    return {
      code: 'BackupExpiringSoon',
      message: `backup '${backup.backupName}' was ${created} and expires ${backup.expiresAt}, in ${formatDuration(left)}: less than the ${formatDuration(marginMs)} safety margin a restore needs.${offer}`,
    };
  }
  return undefined;
}

/** The newest backup that is restorable now, from a list sorted newest first. */
export function newestRestorable<T extends ExpiringBackup>(backups: T[], now: Date, marginMs: number): T | undefined {
  return backups.find((b) => isRestorable(b, now, marginMs));
}
