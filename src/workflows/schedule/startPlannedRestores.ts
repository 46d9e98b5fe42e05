/** The tick's second half: start the standby syncs and drills that are due (at most one restore per target). */
import type { CatalogEntry } from '../../azure/catalog';
import { protectedServices, type ResolvedService } from '../../config/resolveService';
import { restoreInstanceId } from '../../domain/instanceIds';
import { planRestores, type PlannedRestore, type PlannedSource, type SourceBackup } from '../../domain/restorePlan';
import type { RestoreRecord } from '../../domain/restoreRecord';
import { parseServiceId } from '../../domain/resourceId';
import { UserError } from '../../errors';
import { groupBy } from '../../domain/groupBy';
import type { Services } from '../../services';
import { parseRecordName } from '../../domain/recordRetention';
import { Orchestrations } from '../names';
import { requestRestore } from '../restore/requestRestore';
import type { RestoreRequest } from '../restore/types';
import { RECONCILE_AFTER_MS } from './reconcile';
import type { OrchestrationStarter } from '../starter';

export async function startPlannedRestores(
  services: Services,
  starter: OrchestrationStarter,
  entries: readonly CatalogEntry[],
  restoring: readonly string[],
  correlationId: string,
): Promise<{ planned: PlannedRestore[]; reconciled: string[] }> {
  const all = protectedServices(services.config)
    .filter((s) => s.config.enabled)
    .map(toPlannedSource);
  // Every standby and drill target: planned syncs and drills need their records, and so does reconciliation.
  const targets = new Map<string, string>();
  for (const s of all) {
    for (const b of s.standbys) targets.set(b.name.toLowerCase(), b.id);
    if (s.drill) targets.set(s.drill.name.toLowerCase(), s.drill.id);
  }
  if (targets.size === 0) return { planned: [], reconciled: [] };
  const records = new Map<string, RestoreRecord[]>();
  await Promise.all([...targets.keys()].map(async (name) => records.set(name, await services.restores.recent(name))));
  const running = new Set(restoring);
  const busy = new Set([...targets].filter(([name, id]) => running.has(restoreInstanceId(name, id))).map(([name]) => name));
  const reconciled = await reconcileRestores(services, starter, targets, records, busy, correlationId);
  for (const recordName of reconciled) busy.add(parseRecordName(recordName)!.target.toLowerCase());

  const sources = all.filter((s) => s.drill || s.standbys.some((b) => b.sync !== 'manual'));
  const backups: Map<string, SourceBackup[]> = groupBy(entries, (e) => e.service.toLowerCase());

  const plan = planRestores({ sources, backups, records, busy, now: services.clock.now(), restoreMarginMs: services.config.defaults.restoreMargin });
  const started: PlannedRestore[] = [];
  for (const p of plan) {
    try {
      await requestRestore(services.config, starter, {
        source: p.sourceId,
        target: p.targetId,
        backup: p.backupName,
        // The config that names this standby or drill target is the consent to replace its configuration.
        confirm: p.target,
        purpose: p.purpose,
        // Syncs and drills replace configurations that exist to be replaced: no rollback path is kept.
        preRestoreBackup: false,
        requestedBy: `${p.purpose}:${p.reason}`,
      });
    } catch (err) {
      // A restore started into the target since the listing: this one waits for the next tick.
      if (err instanceof UserError && err.code === 'TargetBusy') continue;
      throw err;
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
  return { planned: started, reconciled };
}

/**
 * A restore record still `running` whose orchestration is gone gets a watcher again: the restore singleton of its
 * target, adopting the record (its token is in it) until ARM says how the restore ended, then verified as usual.
 */
async function reconcileRestores(
  services: Services,
  starter: OrchestrationStarter,
  targets: Map<string, string>,
  records: Map<string, RestoreRecord[]>,
  busy: Set<string>,
  correlationId: string,
): Promise<string[]> {
  const now = services.clock.now().getTime();
  const sourceIds = new Map(protectedServices(services.config).map((s) => [s.ref.name.toLowerCase(), s.ref.id]));
  const adopted: string[] = [];
  for (const [name, id] of targets) {
    const newest = records.get(name)?.[0];
    if (!newest || newest.state !== 'running' || busy.has(name) || now - Date.parse(newest.requestedAt) < RECONCILE_AFTER_MS) continue;
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
    const { started } = await starter.start(Orchestrations.restore, restoreInstanceId(name, id), request);
    if (!started) continue;
    adopted.push(newest.recordName);
    services.logger.event('apim-dr.restore.reconciling', { target: newest.target, recordName: newest.recordName, correlationId }, 'warn');
  }
  return adopted;
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
