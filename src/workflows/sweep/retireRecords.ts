/** Activity: retire old restore records (the sweep's), keeping each one's audit in telemetry before it goes. */
import { planRecordRetirement } from '../../domain/recordRetention';
import type { Services } from '../../services';

export async function retireRecords(services: Services, dryRun: boolean): Promise<string[]> {
  const { recordRetention, recordsKept } = services.config.defaults;
  const retired = planRecordRetirement(await services.restores.names(), services.clock.now(), { minAgeMs: recordRetention, keep: recordsKept });
  if (dryRun) return retired;
  for (const name of retired) {
    const stored = await services.restores.read(name).catch(() => undefined);
    const r = stored?.record;
    // The record's audit outlives it: who, what, when, the outcome.
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
