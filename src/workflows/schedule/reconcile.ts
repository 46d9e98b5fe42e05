/**
 * Reconciliation: a catalogued backup still `running` whose orchestration is gone (it failed, was lost with its
 * host, or handed over after a long ARM outage) gets a watcher again. The watcher asks ARM and storage how it
 * ended, never judging by age alone; a reconciled success counts for the RPO and the schedule at once.
 */
import type { CatalogEntry } from '../../azure/catalog';
import type { ResolvedService } from '../../config/resolveService';
import { backupInstanceId } from '../../domain/instanceIds';
import type { Services } from '../../services';
import type { BackupRequest } from '../backup/types';
import { Orchestrations } from '../names';
import type { OrchestrationStarter } from '../starter';

/** A backup's own orchestration writes its entry and starts watching within moments; older ones without a watcher are orphans. */
export const RECONCILE_AFTER_MS = 10 * 60_000;

export async function reconcileOrphans(
  services: Services,
  starter: OrchestrationStarter,
  protectedServices: ResolvedService[],
  entries: CatalogEntry[],
  watched: (service: ResolvedService) => boolean,
  correlationId: string,
): Promise<{ service: ResolvedService; backupName: string }[]> {
  const now = services.clock.now().getTime();
  const byName = new Map(protectedServices.map((s) => [s.ref.name.toLowerCase(), s]));
  const orphans = new Map<string, { service: ResolvedService; entry: CatalogEntry }>();
  for (const entry of entries) {
    const service = byName.get(entry.service.toLowerCase());
    if (!service || entry.state !== 'running' || orphans.has(service.ref.name) || watched(service)) continue;
    if (now - Date.parse(entry.createdAt) < RECONCILE_AFTER_MS) continue;
    orphans.set(service.ref.name, { service, entry });
  }
  const adopted: { service: ResolvedService; backupName: string }[] = [];
  for (const { service, entry } of orphans.values()) {
    const request: BackupRequest = {
      serviceId: service.ref.id,
      trigger: entry.trigger,
      requestedBy: 'reconciliation',
      correlationId,
      adopt: { backupName: entry.backupName, pollIntervalMs: services.config.defaults.pollInterval },
    };
    // The instance's own singleton: a backup of it started meanwhile wins, and this one joins it.
    const { started } = await starter.start(Orchestrations.backup, backupInstanceId(service.ref.name, service.ref.id), request);
    if (!started) continue;
    adopted.push({ service, backupName: entry.backupName });
    services.logger.event('apim-dr.backup.reconciling', { service: service.ref.name, backupName: entry.backupName, correlationId }, 'warn');
  }
  return adopted;
}
