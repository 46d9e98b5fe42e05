/** Activity: verify the restored target against the backup's manifest and settle the restore record (idempotent). */
import { resolveInstance } from '../../config/resolveService';
import { closuresOnSuccess } from '../../domain/incidentClosures';
import { restoreObservations } from '../../domain/incidents';
import { restoreEventProperties, type RestoreRecord } from '../../domain/restoreRecord';
import type { Services } from '../../services';
import { settleRecord } from '../settleOnce';
import type { FinishRestoreInput, RestoreSummary } from './types';

export async function finishRestore(services: Services, input: FinishRestoreInput): Promise<RestoreSummary> {
  const record = await settleRecord(services.restores, input.recordName, 'restore', {
    settle: (running) => settle(services, running, input),
    report: (settled) => report(services, settled),
  });
  const { recordName, source, target, backupName, purpose, preRestoreBackup, state, verdict, findings, error, rtoMs, verification, requestedAt, completedAt } =
    record;
  const approval = record.approval ? { approval: record.approval } : {};
  return {
    recordName,
    source,
    target,
    backupName,
    purpose,
    preRestoreBackup,
    state,
    verdict,
    findings,
    error,
    rtoMs,
    verification,
    requestedAt,
    completedAt,
    ...approval,
  };
}

async function report(services: Services, record: RestoreRecord): Promise<void> {
  const ok = record.state === 'succeeded';
  services.logger.event(
    eventName(record.purpose === 'drill', ok),
    { ...restoreEventProperties(record), rtoMs: record.rtoMs, error: record.error },
    ok ? 'info' : 'error',
  );
  services.telemetry.operationFinished({
    kind: 'restore',
    service: record.target,
    state: record.state,
    // From the request, so that the duration is the RTO.
    startedAt: record.requestedAt,
    completedAt: record.completedAt ?? services.clock.now().toISOString(),
    correlationId: record.correlationId,
    attributes: { 'apim_dr.source': record.source, 'apim_dr.purpose': record.purpose, 'apim_dr.backup_name': record.backupName ?? '' },
    error: record.error,
  });
  const closures = record.state === 'succeeded' ? closuresOnSuccess('restore', record.target, record.completedAt ?? services.clock.now().toISOString()) : [];
  await services.notifier.observe([...restoreObservations(record), ...closures]);
}

async function settle(services: Services, record: RestoreRecord, input: FinishRestoreInput): Promise<RestoreRecord> {
  const now = services.clock.now();
  const done = { completedAt: now.toISOString(), rtoMs: now.getTime() - Date.parse(record.requestedAt) };
  if (input.outcome.status === 'failed') {
    return { ...record, ...done, state: 'failed', error: { code: input.outcome.code, message: input.outcome.message } };
  }
  // Verification: the target is healthy and holds what the backup held.
  const target = resolveInstance(services.config, record.targetId, 'target');
  const [stored, snapshot, actual] = await Promise.all([
    services.catalog.read(record.backupName!),
    services.apim.getService(target.ref),
    services.apim.countInventory(target.ref),
  ]);
  const expected = stored?.manifest.inventory;
  if (!expected) {
    // Nothing to compare with is not a pass: say so, and let a person check the target.
    const verification = { ok: false, expected: {}, actual: { ...actual }, provisioningState: snapshot.provisioningState };
    const message = `the manifest of '${record.backupName}' ${stored ? 'records no inventory' : 'is gone'}, so the restored '${record.target}' could not be checked against it; found ${describe(actual)} (${snapshot.provisioningState}): compare them by hand`;
    return { ...record, ...done, state: 'failed', verification, error: { code: 'VerificationIncomplete', message } };
  }
  const ok =
    snapshot.provisioningState === 'Succeeded' &&
    expected.apis === actual.apis &&
    expected.products === actual.products &&
    expected.namedValues === actual.namedValues;
  const verification = { ok, expected: { ...expected }, actual: { ...actual }, provisioningState: snapshot.provisioningState };
  if (ok) return { ...record, ...done, state: 'succeeded', verification };
  const message = `the restored '${record.target}' does not match the backup: expected ${describe(expected)}, found ${describe(actual)} (${snapshot.provisioningState})`;
  return { ...record, ...done, state: 'failed', verification, error: { code: 'VerificationFailed', message } };
}

function describe(i: { apis: number; products: number; namedValues: number }): string {
  return `${i.apis} APIs, ${i.products} products, ${i.namedValues} named values`;
}

function eventName(drill: boolean, ok: boolean): string {
  if (drill) return ok ? 'apim-dr.drill.succeeded' : 'apim-dr.drill.failed';
  return ok ? 'apim-dr.restore.succeeded' : 'apim-dr.restore.failed';
}
