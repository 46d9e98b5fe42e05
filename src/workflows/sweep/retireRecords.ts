/** Activity: retire old restore, migration and snapshot apply records (the sweep's), keeping each one's audit in telemetry before it goes. */
import { removeLegacyCatalogIndex } from '../../azure/legacyCatalogIndex';
import { LEGACY_CATALOG_INDEX_BLOB } from '../../azure/stateLayout';
import { planRecordRetirement } from '../../domain/recordRetention';
import { applyRecordNames, retireApplyRecord, sweepApplyFindings } from './retireApplyRecords';
import type { Services } from '../../services';
import type { ApplyFindingsCounts, SweepSummary } from './types';

export async function retireRecords(services: Services, dryRun: boolean): Promise<string[]> {
  return (await retireRecordsWithFindings(services, dryRun)).names;
}

/** The records retired (or that would be), and what became of apply records' findings blobs, for the run's report. */
export async function retireRecordsWithFindings(services: Services, dryRun: boolean): Promise<{ names: string[]; applyFindings: ApplyFindingsCounts }> {
  const { recordRetention, recordsKept } = services.config.defaults;
  const [restores, migrations, applies] = await Promise.all([services.restores.names(), services.migrations.names(), applyRecordNames(services)]);
  const retired = planRecordRetirement([...restores, ...migrations, ...applies], services.clock.now(), { minAgeMs: recordRetention, keep: recordsKept });
  // Orphans first: a record retired below still vouches for its blob here, so no blob is counted twice.
  const orphans = await sweepApplyFindings(services, dryRun);
  const applyFindings: ApplyFindingsCounts = { withRecords: 0, orphans: orphans.removed.length, foreign: orphans.foreign.length };
  for (const name of retired) {
    if (name.startsWith('snapshot-applies/')) {
      if (await retireApplyRecord(services, name, dryRun)) applyFindings.withRecords++;
      continue;
    }
    if (dryRun) continue;
    // The record's audit outlives it: who, what, when, the outcome.
    if (name.startsWith('migrations/')) {
      const m = (await services.migrations.read(name).catch(() => undefined))?.record;
      services.logger.event('apim-dr.migration.record-retired', {
        recordName: name,
        ...(m
          ? {
              service: m.service,
              kind: m.kind,
              mode: m.mode,
              target: m.target,
              requestedBy: m.requestedBy,
              requestedAt: m.requestedAt,
              completedAt: m.completedAt,
              state: m.state,
              preMigrationBackup: m.preMigrationBackup?.backupName,
              ipsBefore: m.ipsBefore,
              ipsAfter: m.ipsAfter,
            }
          : { unreadable: true }),
      });
      await services.migrations.remove(name);
      continue;
    }
    const r = (await services.restores.read(name).catch(() => undefined))?.record;
    services.logger.event('apim-dr.restore.record-retired', {
      recordName: name,
      ...(r
        ? {
            source: r.source,
            target: r.target,
            purpose: r.purpose,
            backupName: r.backupName,
            requestedBy: r.requestedBy,
            requestedAt: r.requestedAt,
            completedAt: r.completedAt,
            state: r.state,
            rtoMs: r.rtoMs,
          }
        : { unreadable: true }),
    });
    await services.restores.remove(name);
  }
  return { names: retired, applyFindings };
}

/** The old `state/catalog-index.json`, removed when it is apim-dr's (never in a dry run); logged when it was there. */
export async function retireLegacyIndex(services: Services, dryRun: boolean): Promise<SweepSummary['legacyIndex']> {
  if (dryRun) return undefined;
  const legacy = await removeLegacyCatalogIndex(services.snapshots.container);
  if (legacy === 'absent') return undefined;
  services.logger.event('apim-dr.sweep.legacy-index', {
    blob: LEGACY_CATALOG_INDEX_BLOB,
    outcome: legacy === 'removed' ? 'removed' : 'left alone: not apim-dr’s',
  });
  return legacy;
}
