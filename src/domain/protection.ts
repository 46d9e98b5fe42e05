/** Is an instance protected right now? Newest restorable backup, RPO, and whether to renew before expiry. */
import { newestRestorable, type ExpiringBackup } from './expiry';

export interface ProtectionPolicy {
  rpoMs: number;
  renewBeforeMs: number;
  restoreMarginMs: number;
}

export type RenewReason = 'no-restorable-backup' | 'older-than-rpo' | 'expiring-soon';

export interface Protection {
  service: string;
  newestRestorable?: { backupName: string; createdAt: string; expiresAt: string };
  /** Age of the newest restorable backup. */
  ageMs?: number;
  expiresInMs?: number;
  restorable: boolean;
  rpoBreached: boolean;
  renew?: RenewReason;
}

/** `backups`: one instance's catalog entries, newest first. */
export function assessProtection(service: string, backups: ExpiringBackup[], now: Date, policy: ProtectionPolicy): Protection {
  const newest = newestRestorable(backups, now, policy.restoreMarginMs);
  if (!newest) return { service, restorable: false, rpoBreached: true, renew: 'no-restorable-backup' };
  const ageMs = now.getTime() - Date.parse(newest.createdAt);
  const expiresInMs = Date.parse(newest.expiresAt) - now.getTime();
  const rpoBreached = ageMs > policy.rpoMs;
  const renew: RenewReason | undefined = rpoBreached ? 'older-than-rpo' : expiresInMs <= policy.renewBeforeMs ? 'expiring-soon' : undefined;
  return {
    service,
    newestRestorable: { backupName: newest.backupName, createdAt: newest.createdAt, expiresAt: newest.expiresAt },
    ageMs,
    expiresInMs,
    restorable: true,
    rpoBreached,
    renew,
  };
}
