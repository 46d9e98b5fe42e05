/** Activity: carry out planned sweep items (one chunk): delete or archive retired backups, mark expired ones. */
import { sweepHorizon, widenHorizon, type SweepItem } from '../../domain/sweepPlan';
import { expiredState, type CatalogEntry } from '../../azure/catalog';
import { parseBackupName } from '../../domain/backupName';
import { groupBy } from '../../domain/groupBy';
import type { Services } from '../../services';
import type { SweepApplied } from './types';

/** `listed`: a listing of each instance made just before (lower-case name → its entries), for the index's sweep horizon. */
export async function applySweep(services: Services, planned: SweepItem[], listed: ReadonlyMap<string, CatalogEntry[]> = new Map()): Promise<SweepApplied> {
  const now = services.clock.now();
  const applied: SweepApplied = { deleted: [], archived: [], marked: [], refused: [], foreign: [] };
  // Nothing is deleted, archived or marked that storage does not show, right now, to be apim-dr's.
  const items: SweepItem[] = [];
  for (const item of planned) {
    const ownership = await services.catalog.ownership(item.backupName);
    if (ownership.owned) items.push(item);
    else {
      applied.foreign.push(item.backupName);
      services.logger.event('apim-dr.catalog.foreign', { backupName: item.backupName, reason: ownership.reason, action: 'left alone' }, 'warn');
    }
  }
  const deletions = items.filter((i) => i.action === 'delete').map((i) => i.backupName);
  if (deletions.length) {
    const outcome = await services.catalog.deleteBackups(deletions);
    applied.deleted.push(...outcome.deleted);
    for (const refusal of outcome.refused) {
      // Reported and recorded; the plan leaves it alone for a week instead of failing every day.
      await services.catalog.recordRefusal(refusal.backupName, refusal, now);
      services.logger.event('apim-dr.sweep.delete-refused', { backupName: refusal.backupName, code: refusal.code, message: refusal.message }, 'warn');
      applied.refused.push(refusal);
    }
  }
  for (const item of items) {
    if (item.action === 'archive') {
      await services.catalog.archiveBackup(item.backupName, now);
      applied.archived.push(item.backupName);
    } else if (item.action === 'keep' && item.markExpired) {
      await services.catalog.markExpired(item.backupName, now);
      applied.marked.push(item.backupName);
    }
  }
  await patchCatalogIndex(services, applied, now, listed);
  if (applied.deleted.length || applied.archived.length || applied.refused.length) {
    services.logger.event('apim-dr.sweep.applied', {
      deleted: applied.deleted.length,
      archived: applied.archived.length,
      marked: applied.marked.length,
      refused: applied.refused.length,
    });
  }
  return applied;
}

/**
 * What the sweep changed, in the index too: deleted entries leave it, archived and expired ones change state. A deleted
 * backup still counts in its day's outcomes until the next rebuild: it is a month old, at the timeline's far end. An
 * instance listed just before gets its sweep horizon from that listing as it is now, so that the sweep after its next
 * backup need not list it again until something else is due.
 */
async function patchCatalogIndex(services: Services, applied: SweepApplied, now: Date, listed: ReadonlyMap<string, CatalogEntry[]>): Promise<void> {
  const deleted = new Set(applied.deleted);
  const archived = new Set(applied.archived);
  const changed = new Set([...applied.archived, ...applied.marked, ...applied.refused.map((r) => r.backupName)]);
  // One write per instance touched: each instance's entries live in its own blob.
  const touched = groupBy([...deleted, ...changed], (name) => (parseBackupName(name)?.service ?? name).toLowerCase());
  for (const service of touched.keys()) {
    await services.catalogIndex.update(service, (shard) => {
      shard.entries = shard.entries
        .filter((e) => !deleted.has(e.backupName))
        .map((e) =>
          changed.has(e.backupName) ? { ...e, state: expiredState(e, now), ...(archived.has(e.backupName) ? { archivedAt: now.toISOString() } : {}) } : e,
        );
      const mine = listed.get(service);
      if (mine) {
        const left = mine
          .filter((e) => !deleted.has(e.backupName))
          .map((e) => (archived.has(e.backupName) ? { ...e, state: expiredState(e, now), archivedAt: now.toISOString() } : e));
        // With the backups recorded since the listing.
        shard.sweepHorizon = shard.entries.reduce(widenHorizon, sweepHorizon(left));
      }
    });
  }
}
