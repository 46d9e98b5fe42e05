/** Which instances are due for a scheduled backup now: pure planning over schedules and the catalog. */
import { previousOccurrence } from './schedule';

export interface ScheduledService {
  id: string;
  name: string;
  subscriptionId: string;
  schedule: string;
  enabled: boolean;
}

export interface LastAttempt {
  createdAt: Date;
  state: 'running' | 'succeeded' | 'failed' | 'expired';
}

export interface DueBackup {
  service: ScheduledService;
  /** The schedule occurrence this backup is for. */
  occurrence: Date;
  reason: 'never-backed-up' | 'schedule' | 'retry-after-failure' | 'events';
}

/**
 * An instance is due when its schedule has fired since its newest backup attempt, or when that attempt failed
 * and `retryFailedAfterMs` has passed. A missed tick is therefore caught up by the next one.
 */
export function planDueBackups(services: ScheduledService[], newest: Map<string, LastAttempt>, now: Date, retryFailedAfterMs: number): DueBackup[] {
  const due: DueBackup[] = [];
  for (const service of services) {
    if (!service.enabled) continue;
    const occurrence = previousOccurrence(service.schedule, now);
    const last = newest.get(service.name.toLowerCase());
    if (!last) {
      if (occurrence) due.push({ service, occurrence, reason: 'never-backed-up' });
      continue;
    }
    if (occurrence && last.createdAt < occurrence) {
      due.push({ service, occurrence, reason: 'schedule' });
    } else if (last.state === 'failed' && now.getTime() - last.createdAt.getTime() >= retryFailedAfterMs) {
      due.push({ service, occurrence: occurrence ?? now, reason: 'retry-after-failure' });
    }
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
