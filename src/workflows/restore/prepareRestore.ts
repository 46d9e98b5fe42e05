/**
 * Activity: the gate before any restore POST. Runs the dry run (expiry, tier, platform, target state, …) and
 * refuses on any blocking finding, or when the target is not a configured standby of the source.
 */
import { resolveInstance, resolveService } from '../../config/resolveService';
import type { CompatibilityReport, Finding } from '../../domain/compatibility';
import { UserError } from '../../errors';
import { restoreRecordName, type RestoreRecord } from '../../domain/restoreRecord';
import type { Services } from '../../services';
import { checkRestore } from '../check/checkRestore';
import type { PrepareRestoreInput, PrepareRestoreOutput } from './types';

export async function prepareRestore(services: Services, input: PrepareRestoreInput): Promise<PrepareRestoreOutput> {
  const source = resolveService(services.config, input.sourceId, 'source');
  const target = resolveInstance(services.config, input.targetId, 'target');
  const recordName = restoreRecordName(target.ref.name, new Date(input.requestedAt));
  const existing = await services.restores.read(recordName);
  if (existing && existing.record.owner === input.owner) {
    const { record } = existing;
    return record.state === 'refused' || !record.backupName
      ? { status: 'refused', recordName, findings: record.findings }
      : { status: 'ready', recordName, backupName: record.backupName, findings: record.findings };
  }

  const base: RestoreRecord = {
    schemaVersion: 1,
    recordName,
    source: source.ref.name,
    target: target.ref.name,
    targetId: target.ref.id,
    requestedBy: input.requestedBy,
    correlationId: input.correlationId,
    owner: input.owner,
    requestedAt: input.requestedAt,
    state: 'running',
    findings: [],
  };
  const isStandby = target.standbyOf.some((id) => id.toLowerCase() === source.ref.id.toLowerCase());
  // In-place restores need a pre-restore backup as their rollback path; until that exists they are refused.
  let report: CompatibilityReport;
  try {
    report = await checkRestore(services, { source: source.ref.id, target: target.ref.id, backup: input.backup, allowInPlace: false });
  } catch (err) {
    // No backup to restore, or one that cannot be used: the user's to fix, so refused at once rather than retried.
    if (!(err instanceof UserError)) throw err;
    const findings: Finding[] = [{ code: err.code, severity: 'blocking', message: err.message, fix: `run 'apim-dr list ${source.ref.name}' and choose a restorable backup` }];
    await services.restores.write({ ...base, state: 'refused', verdict: 'NotRestorable', findings, completedAt: services.clock.now().toISOString() });
    services.logger.event('apim-dr.restore.refused', { source: source.ref.name, target: target.ref.name, correlationId: input.correlationId, blocking: [err.code] }, 'warn');
    return { status: 'refused', recordName, findings };
  }
  const findings: Finding[] = [...report.findings];
  if (!isStandby) {
    findings.unshift({
      code: 'NotAStandby',
      severity: 'blocking',
      message: `'${target.ref.name}' is not a configured standby of '${source.ref.name}'`,
      fix: `add it to the standbys of '${source.ref.name}' in the config`,
    });
  }
  const refused = !isStandby || report.verdict === 'NotRestorable';
  const record: RestoreRecord = { ...base, backupName: report.backupName, verdict: refused ? 'NotRestorable' : report.verdict, findings, state: refused ? 'refused' : 'running' };
  if (refused) record.completedAt = services.clock.now().toISOString();
  await services.restores.write(record);
  const blocking = findings.filter((f) => f.severity === 'blocking');
  services.logger.event(refused ? 'apim-dr.restore.refused' : 'apim-dr.restore.accepted', {
    source: source.ref.name,
    target: target.ref.name,
    backupName: report.backupName,
    correlationId: input.correlationId,
    ...(refused ? { blocking: blocking.map((f) => f.code) } : { verdict: report.verdict }),
  }, refused ? 'warn' : 'info');
  return refused ? { status: 'refused', recordName, findings } : { status: 'ready', recordName, backupName: report.backupName, findings };
}
