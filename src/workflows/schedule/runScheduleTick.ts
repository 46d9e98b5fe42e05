/** The schedule tick: find due instances and start their backups within the per-subscription limit. */
import { protectedServices } from '../../config/resolveService';
import { applyConcurrencyLimit, planDueBackups, type LastAttempt, type ScheduledService } from '../../domain/dueBackups';
import { backupInstanceId } from '../../domain/instanceIds';
import type { Services } from '../../services';
import { requestBackup } from '../backup/requestBackup';
import type { OrchestrationStarter } from '../starter';
import { assessFleet, emitProtectionAlerts } from '../sweep/planSweep';

export interface TickResult {
  due: number;
  started: string[];
  coalesced: string[];
  deferred: string[];
}

export async function runScheduleTick(services: Services, starter: OrchestrationStarter, correlationId: string): Promise<TickResult> {
  const now = services.clock.now();
  const resolved = protectedServices(services.config);
  const scheduled: ScheduledService[] = resolved.map((s) => ({
    id: s.ref.id,
    name: s.ref.name,
    subscriptionId: s.ref.subscriptionId,
    schedule: s.schedule,
    enabled: s.config.enabled,
  }));

  const entries = await services.catalog.list();
  emitProtectionAlerts(services, assessFleet(services, entries, now), correlationId);
  const newest = new Map<string, LastAttempt>();
  for (const entry of entries) {
    const key = entry.service.toLowerCase();
    // The catalog lists newest first: the first entry per service is its newest attempt.
    if (!newest.has(key)) newest.set(key, { createdAt: new Date(entry.createdAt), state: entry.state });
  }
  const due = planDueBackups(scheduled, newest, now, services.config.defaults.retryFailedAfter);

  const runningIds = new Set(await starter.running('backup-'));
  const runningPerSubscription = new Map<string, number>();
  for (const s of scheduled) {
    if (runningIds.has(backupInstanceId(s.name, s.id))) runningPerSubscription.set(s.subscriptionId, (runningPerSubscription.get(s.subscriptionId) ?? 0) + 1);
  }
  const notRunning = due.filter((d) => !runningIds.has(backupInstanceId(d.service.name, d.service.id)));
  const chosen = applyConcurrencyLimit(notRunning, runningPerSubscription, services.config.defaults.concurrencyPerSubscription);

  const result: TickResult = { due: due.length, started: [], coalesced: due.filter((d) => !notRunning.includes(d)).map((d) => d.service.name), deferred: [] };
  result.deferred = notRunning.filter((d) => !chosen.includes(d)).map((d) => d.service.name);
  await Promise.all(
    chosen.map(async (d) => {
      const requested = await requestBackup(services.config, starter, d.service.id, 'scheduled', 'schedule', correlationId);
      (requested.started ? result.started : result.coalesced).push(d.service.name);
    }),
  );
  services.logger.event('apim-dr.schedule.tick', { correlationId, due: result.due, started: result.started.length, coalesced: result.coalesced.length, deferred: result.deferred });
  return result;
}
