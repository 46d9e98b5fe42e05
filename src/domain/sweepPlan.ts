/** What the expiry sweep does with each catalogued backup: pure planning over the catalog listing. */
import { isExpired, type ExpiringBackup } from './expiry';

export interface SweepPolicy {
  retentionMs: number;
  expiredAction: 'delete' | 'archive';
  /** A delete that storage refused is not tried again for this long (immutability, legal hold, lease). */
  refusalBackoffMs: number;
}

export interface SweepCandidate extends ExpiringBackup {
  service: string;
  refusedAt?: string;
}

export type SweepAction = 'delete' | 'archive' | 'keep';
export type SweepReason =
  | 'restorable'
  | 'newest-restorable'
  | 'running'
  | 'archived'
  | 'delete-refused'
  | 'expired'
  | 'past-retention'
  | 'failed'
  /** Still `running` after 30 days: its orchestration was lost; no operation runs that long. */
  | 'stale-running';

export interface SweepItem {
  backupName: string;
  service: string;
  action: SweepAction;
  reason: SweepReason;
  createdAt: string;
  expiresAt: string;
  /** Set when the backup is past its 30 days and its record does not say so yet. */
  markExpired: boolean;
}

/**
 * `entries` are manifests only: a blob without one is not ours and never reaches this function.
 * The newest succeeded backup of an instance is kept while it is still restorable, whatever the retention.
 */
export function planExpirySweep(entries: SweepCandidate[], now: Date, policy: SweepPolicy): SweepItem[] {
  const newestSucceeded = new Map<string, string>();
  for (const e of [...entries].sort((a, b) => b.createdAt.localeCompare(a.createdAt))) {
    if (e.state === 'succeeded' && !e.archivedAt && !newestSucceeded.has(e.service)) newestSucceeded.set(e.service, e.backupName);
  }
  return entries.map((e) => {
    const expired = isExpired(e, now);
    const item = (action: SweepAction, reason: SweepReason): SweepItem => ({
      backupName: e.backupName,
      service: e.service,
      action,
      reason,
      createdAt: e.createdAt,
      expiresAt: e.expiresAt,
      markExpired: expired && e.state !== 'expired' && e.state !== 'failed' && action !== 'delete',
    });
    if (e.state === 'running') return expired ? item('delete', 'stale-running') : item('keep', 'running');
    const retired = expired || now.getTime() - Date.parse(e.createdAt) >= policy.retentionMs;
    if (!retired) return item('keep', 'restorable');
    if (!expired && newestSucceeded.get(e.service) === e.backupName) return item('keep', 'newest-restorable');
    if (e.refusedAt && now.getTime() - Date.parse(e.refusedAt) < policy.refusalBackoffMs) return item('keep', 'delete-refused');
    if (e.state === 'failed') return item('delete', 'failed');
    if (e.archivedAt) return item('keep', 'archived');
    const reason: SweepReason = expired ? 'expired' : 'past-retention';
    return item(policy.expiredAction, reason);
  });
}

/** An item the apply step must act on: a delete, an archive, or a mark as expired. */
export function isWork(item: SweepItem): boolean {
  return item.action !== 'keep' || item.markExpired;
}

/**
 * The earliest creation and expiry among an instance's entries the sweep may still act on (every entry but an archived
 * one already marked expired, which is kept for good); null when there is none. Kept in the catalog index so that the
 * sweep after a backup knows without a listing whether anything of that instance can be retired yet.
 */
export interface SweepHorizon {
  createdAt: string;
  expiresAt: string;
}

/** The horizon once `entry` is in the catalog too. */
export function widenHorizon(
  horizon: SweepHorizon | null,
  entry: Pick<SweepCandidate, 'state' | 'createdAt' | 'expiresAt' | 'archivedAt'>,
): SweepHorizon | null {
  if (entry.archivedAt && entry.state === 'expired') return horizon;
  if (!horizon) return { createdAt: entry.createdAt, expiresAt: entry.expiresAt };
  return {
    createdAt: entry.createdAt < horizon.createdAt ? entry.createdAt : horizon.createdAt,
    expiresAt: entry.expiresAt < horizon.expiresAt ? entry.expiresAt : horizon.expiresAt,
  };
}

export function sweepHorizon(entries: readonly Pick<SweepCandidate, 'state' | 'createdAt' | 'expiresAt' | 'archivedAt'>[]): SweepHorizon | null {
  return entries.reduce<SweepHorizon | null>(widenHorizon, null);
}

/**
 * The first moment planExpirySweep can have work for entries within `horizon`: an entry is acted on only once it is
 * expired or past the retention, never before. Infinity when there is nothing the sweep may act on.
 */
export function sweepDueAt(horizon: SweepHorizon | null, retentionMs: number): number {
  if (!horizon) return Infinity;
  return Math.min(Date.parse(horizon.expiresAt), Date.parse(horizon.createdAt) + retentionMs);
}
