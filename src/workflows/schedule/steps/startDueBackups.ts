/** Starts the chosen backups, a few at a time; one that fails to start stays due and the rest go on. */
import type { DueBackup } from '../../../domain/dueBackups';
import { consumeBurst, type PendingChanges } from '../../../domain/pendingChanges';
import { ensureError } from '../../../errors';
import type { Services } from '../../../services';
import { requestBackup } from '../../backup/requestBackup';
import type { BackupRequest } from '../../backup/types';
import { settleEach } from '../../settleEach';
import type { OrchestrationStarter } from '../../starter';
import type { TickListing } from './listTick';

export interface BackupStarts {
  started: string[];
  coalesced: string[];
  failed: string[];
}

export async function startDueBackups(
  services: Services,
  starter: OrchestrationStarter,
  chosen: readonly DueBackup[],
  pending: TickListing['pending'],
  correlationId: string,
): Promise<BackupStarts> {
  const starts: BackupStarts = { started: [], coalesced: [], failed: [] };
  const failedStarts = await settleEach(chosen, services.config.defaults.startConcurrency, async (d) => {
    const events = pending.has(d.service.name.toLowerCase()) ? await takeBurst(services, d.service.name) : undefined;
    const trigger = d.reason === 'events' ? 'event' : 'scheduled';
    const requested = await requestBackup(services.config, starter, d.service.id, trigger, trigger === 'event' ? 'events' : 'schedule', correlationId, events);
    (requested.started ? starts.started : starts.coalesced).push(d.service.name);
  });
  // An instance that could not be started stays due: the next tick tries it again.
  for (const { item, error } of failedStarts) {
    starts.failed.push(item.service.name);
    services.logger.event('apim-dr.schedule.start-failed', { correlationId, service: item.service.name, error: ensureError(error).message }, 'error');
  }
  return starts;
}

/** Consumes the instance's pending burst (before the backup is requested, so no later change is lost). */
async function takeBurst(services: Services, service: string): Promise<BackupRequest['events']> {
  let taken: PendingChanges | undefined;
  await services.changes.update(service, (state) => {
    taken = state;
    return state.count ? consumeBurst(state) : state;
  });
  return taken?.count ? { count: taken.count, ids: taken.ids } : undefined;
}
