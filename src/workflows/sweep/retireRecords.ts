/** Activity: retire old restore, migration and snapshot apply records (the sweep's), keeping each one's audit in telemetry before it goes. */
import { planRecordRetirement } from '../../domain/recordRetention';
import { applyRecordNames, retireApplyRecord, sweepApplyFindings } from './retireApplyRecords';
import type { Services } from '../../services';

export async function retireRecords(services: Services, dryRun: boolean): Promise<string[]> {
  const { recordRetention, recordsKept } = services.config.defaults;
  const [restores, migrations, applies] = await Promise.all([services.restores.names(), services.migrations.names(), applyRecordNames(services)]);
  const retired = planRecordRetirement([...restores, ...migrations, ...applies], services.clock.now(), { minAgeMs: recordRetention, keep: recordsKept });
  await sweepApplyFindings(services, dryRun);
  if (dryRun) return retired;
  for (const name of retired) {
    if (name.startsWith('snapshot-applies/')) {
      await retireApplyRecord(services, name);
      continue;
    }
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
  return retired;
}
