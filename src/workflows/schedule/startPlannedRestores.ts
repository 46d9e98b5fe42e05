/** The tick's second half: start the standby syncs and drills that are due (at most one restore per target). */
import type { CatalogEntry } from '../../azure/catalog';
import { protectedServices, type ResolvedService } from '../../config/resolveService';
import { targetLockId } from '../../domain/instanceIds';
import { planRestores, type PlannedRestore, type PlannedSource, type SourceBackup } from '../../domain/restorePlan';
import type { RestoreRecord } from '../../domain/restoreRecord';
import { parseServiceId } from '../../domain/resourceId';
import { ensureError, UserError } from '../../errors';
import { groupBy } from '../../domain/groupBy';
import type { Services } from '../../services';
import { requestRestore } from '../restore/requestRestore';
import type { OrchestrationStarter } from '../starter';

/** Every standby and drill target (name → ID) with its newest restore records: read once per tick. */
export interface RestoreTargets {
  targets: Map<string, string>;
  records: Map<string, RestoreRecord[]>;
}

export async function readRestoreTargets(services: Services): Promise<RestoreTargets> {
  const targets = new Map<string, string>();
  for (const s of enabledSources(services)) {
    for (const b of s.standbys) targets.set(b.name.toLowerCase(), b.id);
    if (s.drill) targets.set(s.drill.name.toLowerCase(), s.drill.id);
  }
  // One listing of every restore record for all targets; settled records already read are not read again.
  return { targets, records: await services.restores.recentOf(targets.keys()) };
}

export async function startPlannedRestores(
  services: Services,
  starter: OrchestrationStarter,
  entries: readonly CatalogEntry[],
  { targets, records }: RestoreTargets,
  restoring: ReadonlySet<string>,
  correlationId: string,
  /** Standbys (lower case) that snapshots keep in sync (startSnapshotSyncs): no native restore is planned into them. */
  snapshotSynced: ReadonlySet<string> = new Set(),
): Promise<PlannedRestore[]> {
  const sources = enabledSources(services)
    .map((s) => ({ ...s, standbys: s.standbys.filter((b) => !snapshotSynced.has(b.name.toLowerCase())) }))
    .filter((s) => s.drill || s.standbys.some((b) => b.sync !== 'manual'));
  if (sources.length === 0) return [];
  const busy = new Set([...targets].filter(([name, id]) => restoring.has(targetLockId(name, id))).map(([name]) => name));
  const backups: Map<string, SourceBackup[]> = groupBy(entries, (e) => e.service.toLowerCase());

  const plan = planRestores({ sources, backups, records, busy, now: services.clock.now(), restoreMarginMs: services.config.defaults.restoreMargin });
  const started: PlannedRestore[] = [];
  for (const p of plan) {
    try {
      await requestRestore(
        services,
        starter,
        {
          source: p.sourceId,
          target: p.targetId,
          backup: p.backupName,
          // The config that names this standby or drill target is the consent to replace its configuration.
          confirm: p.target,
          purpose: p.purpose,
          // Syncs and drills replace configurations that exist to be replaced: no rollback path is kept.
          preRestoreBackup: false,
          requestedBy: `${p.purpose}:${p.reason}`,
        },
        { via: 'schedule' },
      );
    } catch (err) {
      // A restore started into the target since the listing: this one waits for the next tick.
      if (err instanceof UserError && err.code === 'TargetBusy') continue;
      // Any other failure is this target's alone: it is tried again at the next tick, and the others go on.
      services.logger.event(
        'apim-dr.restore.start-failed',
        { correlationId, source: p.source, target: p.target, purpose: p.purpose, error: ensureError(err).message },
        'error',
      );
      continue;
    }
    started.push(p);
    services.logger.event(p.purpose === 'sync' ? 'apim-dr.sync.started' : 'apim-dr.drill.started', {
      correlationId,
      source: p.source,
      target: p.target,
      backupName: p.backupName,
      reason: p.reason,
      superseded: p.superseded,
    });
  }
  return started;
}

function enabledSources(services: Services): PlannedSource[] {
  return protectedServices(services.config)
    .filter((s) => s.config.enabled)
    .map(toPlannedSource);
}

function toPlannedSource(s: ResolvedService): PlannedSource {
  const named = (id: string) => ({ id, name: parseServiceId(id)!.name });
  return {
    name: s.ref.name,
    id: s.ref.id,
    standbys: s.config.standbys.map((b) => ({ ...named(b.id), sync: b.sync })),
    drill: s.config.drill && { ...named(s.config.drill.target), schedule: s.config.drill.schedule },
  };
}
