/**
 * Reconciliation of every kind: a catalogued backup still `running` whose orchestration is gone (it failed, was lost with its
 * host, or handed over after a long ARM outage) gets a watcher again. The watcher asks ARM and storage how it
 * ended, never judging by age alone; a reconciled success counts for the RPO and the schedule at once.
 */
import type { CatalogEntry } from '../../azure/catalog';
import { protectedServices, type ResolvedService } from '../../config/resolveService';
import { backupInstanceId, targetLockId } from '../../domain/instanceIds';
import { parseRecordName } from '../../domain/recordRetention';
import type { Services } from '../../services';
import type { BackupRequest } from '../backup/types';
import type { MigrationRequest } from '../migrate/types';
import type { RestoreRequest } from '../restore/types';
import { Orchestrations } from '../names';
import type { OrchestrationStarter } from '../starter';
import type { RestoreTargets } from './startPlannedRestores';

/** A backup's own orchestration writes its entry and starts watching within moments; older ones without a watcher are orphans. */
export const RECONCILE_AFTER_MS = 10 * 60_000;

export async function reconcileOrphanBackups(
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

/** Migrations older than this are settled: only the last week's records are read for reconciliation. */
const MIGRATION_LOOKBACK_MS = 7 * 86_400_000;

/**
 * An in-place migration record still `running` whose orchestration is gone gets a watcher again: the instance's
 * restore singleton, adopting the record. One listing of `migrations/`; only the last week's newest records are read.
 */
export async function reconcileMigrations(
  services: Services,
  starter: OrchestrationStarter,
  restoring: ReadonlySet<string>,
  correlationId: string,
): Promise<{ recordName: string; instanceId: string }[]> {
  const now = services.clock.now().getTime();
  const newest = new Map<string, string>();
  for (const name of (await services.migrations.names()).sort()) {
    const parsed = parseRecordName(name);
    if (parsed && now - parsed.at.getTime() <= MIGRATION_LOOKBACK_MS) newest.set(parsed.target.toLowerCase(), name);
  }
  const adopted: { recordName: string; instanceId: string }[] = [];
  for (const recordName of newest.values()) {
    const record = (await services.migrations.read(recordName))?.record;
    if (!record || record.state !== 'running' || record.kind !== 'in-place' || !record.mode) continue;
    const instanceId = targetLockId(record.service, record.serviceId);
    if (restoring.has(instanceId) || now - Date.parse(record.requestedAt) < RECONCILE_AFTER_MS) continue;
    const request: MigrationRequest = {
      kind: 'in-place',
      serviceId: record.serviceId,
      mode: record.mode,
      requestedBy: 'reconciliation',
      correlationId: record.correlationId,
      adopt: { recordName, pollIntervalMs: services.config.defaults.pollInterval },
    };
    const { started } = await starter.start(Orchestrations.migrate, instanceId, request);
    if (!started) continue;
    adopted.push({ recordName, instanceId });
    services.logger.event('apim-dr.migration.reconciling', { service: record.service, recordName, correlationId }, 'warn');
  }
  return adopted;
}

/**
 * A restore record still `running` whose orchestration is gone gets a watcher again: the restore singleton of its
 * target, adopting the record (its token is in it) until ARM says how the restore ended, then verified as usual.
 * Returns the records adopted and the instance IDs now holding their targets.
 */
export async function reconcileRestores(
  services: Services,
  starter: OrchestrationStarter,
  { targets, records }: RestoreTargets,
  restoring: ReadonlySet<string>,
  correlationId: string,
): Promise<{ recordName: string; instanceId: string }[]> {
  const now = services.clock.now().getTime();
  const sourceIds = new Map(protectedServices(services.config).map((s) => [s.ref.name.toLowerCase(), s.ref.id]));
  const adopted: { recordName: string; instanceId: string }[] = [];
  for (const [name, id] of targets) {
    const newest = records.get(name)?.[0];
    const instanceId = targetLockId(name, id);
    if (!newest || newest.state !== 'running' || restoring.has(instanceId) || now - Date.parse(newest.requestedAt) < RECONCILE_AFTER_MS) continue;
    const request: RestoreRequest = {
      sourceId: sourceIds.get(newest.source.toLowerCase()) ?? newest.targetId,
      targetId: newest.targetId,
      requestedBy: 'reconciliation',
      correlationId: newest.correlationId,
      purpose: newest.purpose,
      allowInPlace: false,
      preRestoreBackup: false,
      adopt: { recordName: newest.recordName, pollIntervalMs: services.config.defaults.pollInterval },
    };
    const { started } = await starter.start(Orchestrations.restore, instanceId, request);
    if (!started) continue;
    adopted.push({ recordName: newest.recordName, instanceId });
    services.logger.event('apim-dr.restore.reconciling', { target: newest.target, recordName: newest.recordName, correlationId }, 'warn');
  }
  return adopted;
}
