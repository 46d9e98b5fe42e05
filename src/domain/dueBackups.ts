/**
 * Which instances are due for a backup now: pure planning over schedules, RPOs and the catalog. The RPO is the
 * promise and the schedule serves it: a backup starts early enough that a failed one can be retried and still
 * finish before the newest restorable backup is older than the RPO, schedule or not.
 */
import { previousOccurrence } from './schedule';

export interface ScheduledService {
  id: string;
  name: string;
  subscriptionId: string;
  /** NCRONTAB; without one, backups are planned from the RPO alone. */
  schedule?: string;
  rpoMs: number;
  enabled: boolean;
}

export interface LastAttempt {
  createdAt: Date;
  state: 'running' | 'succeeded' | 'failed' | 'expired';
}

/** What the catalog says about one instance. */
export interface InstanceHistory {
  /** Its newest backup attempt. */
  last: LastAttempt;
  /** When its newest restorable backup was created (the RPO counts from there). */
  newestRestorableAt?: Date;
  /** How long before the RPO deadline a backup must start (rpoLeadMs). */
  leadMs: number;
}

export type DueReason = 'never-backed-up' | 'schedule' | 'rpo' | 'rpo-retry' | 'retry-after-failure' | 'events';

export interface DueBackup {
  service: ScheduledService;
  /** The schedule occurrence or RPO moment this backup is for. */
  occurrence: Date;
  reason: DueReason;
}

export interface DuePolicy {
  /** After a failure with nothing at stake, wait this long before trying again. */
  retryFailedAfterMs: number;
  /** After a failure with the RPO at stake (and not yet lost), try again this soon: the next tick. */
  retryAtStakeMs: number;
}

/**
 * Due, in this order of reasons: never backed up; the schedule fired since the newest attempt (one that started
 * up to a lead before the occurrence counts for it); the RPO is at stake (its deadline is within the lead) with no
 * attempt since the newest restorable backup, or that attempt failed (retried at once while the RPO can still be
 * held); nothing is restorable; or the newest attempt failed `retryFailedAfterMs` ago.
 */
export function planDueBackups(services: ScheduledService[], history: Map<string, InstanceHistory>, now: Date, policy: DuePolicy): DueBackup[] {
  const due: DueBackup[] = [];
  const t = now.getTime();
  for (const service of services) {
    if (!service.enabled) continue;
    const occurrence = service.schedule ? previousOccurrence(service.schedule, now) : undefined;
    const h = history.get(service.name.toLowerCase());
    const add = (reason: DueReason, at: Date) => due.push({ service, occurrence: at, reason });
    if (!h) {
      if (occurrence || !service.schedule) add('never-backed-up', occurrence ?? now);
      continue;
    }
    const { last, newestRestorableAt, leadMs } = h;
    const sinceLast = t - last.createdAt.getTime();
    const failedRetryDue = last.state === 'failed' && sinceLast >= policy.retryFailedAfterMs;
    if (occurrence && last.createdAt.getTime() < occurrence.getTime() - leadMs) {
      add('schedule', occurrence);
      continue;
    }
    if (!newestRestorableAt) {
      // Nothing restorable: back up unless an attempt runs, or failed too recently to try again.
      if (last.state !== 'running' && (last.state !== 'failed' || failedRetryDue)) add(last.state === 'failed' ? 'retry-after-failure' : 'rpo', now);
      continue;
    }
    const deadline = newestRestorableAt.getTime() + service.rpoMs;
    const atStake = t >= deadline - leadMs;
    const attemptedSince = last.createdAt > newestRestorableAt;
    if (atStake && !attemptedSince) add('rpo', new Date(deadline - leadMs));
    else if (atStake && last.state === 'failed' && t < deadline && sinceLast >= policy.retryAtStakeMs) add('rpo-retry', new Date(deadline - leadMs));
    else if (failedRetryDue) add('retry-after-failure', occurrence ?? now);
  }
  // Longest-waiting first, so a concurrency limit serves the most overdue instances.
  return due.sort((a, b) => a.occurrence.getTime() - b.occurrence.getTime());
}

/** Picks what to start now: at most `limit` running backups per subscription, counting those already running. */
export function applyConcurrencyLimit(due: DueBackup[], runningPerSubscription: Map<string, number>, limit: number): DueBackup[] {
  const load = new Map(runningPerSubscription);
  return due.filter((d) => {
    const current = load.get(d.service.subscriptionId) ?? 0;
    if (current >= limit) return false;
    load.set(d.service.subscriptionId, current + 1);
    return true;
  });
}
