/**
 * Activity: the gate before any restore POST. Runs the dry run (expiry, tier, platform, target state, …) and
 * refuses on any blocking finding, or when the target's configuration is not the source's to replace.
 */
import { resolveInstance, resolveService, restoreRelation } from '../../config/resolveService';
import type { CompatibilityReport, Finding } from '../../domain/compatibility';
import { restoreObservations } from '../../domain/incidents';
import { completionWindow } from '../../domain/pollPlan';
import { expectedRestoreMs, restoreDurations } from '../../domain/restoreProgress';
import { restoreRecordName, type RestoreRecord } from '../../domain/restoreRecord';
import { AzureError, UserError } from '../../errors';
import type { Services } from '../../services';
import { checkRestore } from '../check/checkRestore';
import { consentProblem } from './consent';
import { rollbackProblem } from './rollback';
import type { PrepareRestoreInput, PrepareRestoreOutput } from './types';

export async function prepareRestore(services: Services, input: PrepareRestoreInput): Promise<PrepareRestoreOutput> {
  const source = resolveService(services.config, input.sourceId, 'source');
  const target = resolveInstance(services.config, input.targetId, 'target');
  const recordName = restoreRecordName(target.ref.name, new Date(input.requestedAt), `${input.owner}|${input.correlationId}`);
  const [existing, history] = await Promise.all([services.restores.read(recordName), services.restores.recent(target.ref.name)]);
  // For the watch: what restores into this target usually take, and where they finished.
  // Without earlier restores there is nothing honest to measure a percent against: the watch shows the phase alone.
  const durations = restoreDurations(history);
  const plan = durations.length ? { expectedMs: expectedRestoreMs(history), window: completionWindow(durations) } : {};
  if (existing && existing.record.owner === input.owner) {
    const { record } = existing;
    return record.state === 'refused' || !record.backupName
      ? { status: 'refused', recordName, findings: record.findings }
      : { status: 'ready', recordName, backupName: record.backupName, findings: record.findings, ...plan };
  }

  const base: RestoreRecord = {
    schemaVersion: 1,
    recordName,
    source: source.ref.name,
    target: target.ref.name,
    targetId: target.ref.id,
    requestedBy: input.requestedBy,
    ...(input.approval ? { approval: input.approval } : {}),
    correlationId: input.correlationId,
    owner: input.owner,
    purpose: input.purpose,
    ...(input.rollbackOf ? { rollbackOf: input.rollbackOf } : {}),
    requestedAt: input.requestedAt,
    state: 'running',
    findings: [],
  };
  const create = async (record: RestoreRecord): Promise<void> => {
    // The name is this request's own (its run and correlation ID are in it): only a re-run of this activity can have taken it,
    // and the retry resumes from that record. Never carry on as if the write had happened.
    if (!(await services.restores.write(record)))
      throw new AzureError(`restore record '${recordName}' already exists; resuming from it`, 'RestoreRecordExists');
  };
  const refuse = async (findings: Finding[], backupName?: string): Promise<PrepareRestoreOutput> => {
    const refused: RestoreRecord = {
      ...base,
      backupName,
      state: 'refused',
      verdict: 'NotRestorable',
      findings,
      completedAt: services.clock.now().toISOString(),
    };
    await create(refused);
    const blocking = findings.filter((f) => f.severity === 'blocking').map((f) => f.code);
    services.logger.event(
      'apim-dr.restore.refused',
      { source: source.ref.name, target: target.ref.name, purpose: input.purpose, backupName, correlationId: input.correlationId, blocking },
      'warn',
    );
    await services.notifier.observe(restoreObservations(refused));
    return { status: 'refused', recordName, findings };
  };

  if (input.purpose === 'rollback') {
    const problem = await rollbackProblem(services, input);
    if (problem) return refuse([{ severity: 'blocking', ...problem }]);
  }

  let report: CompatibilityReport;
  try {
    report = await checkRestore(services, {
      source: source.ref.id,
      target: target.ref.id,
      backup: input.backup,
      allowInPlace: input.allowInPlace || input.purpose === 'rollback',
    });
  } catch (err) {
    // No backup to restore, or one that cannot be used: the user's to fix, so refused at once rather than retried.
    if (!(err instanceof UserError)) throw err;
    return refuse([
      { code: err.code, severity: 'blocking', message: err.message, fix: `run 'apim-dr list ${source.ref.name}' and choose a restorable backup` },
    ]);
  }
  const findings: Finding[] = [...report.findings];
  const problem = consentProblem(restoreRelation(source.ref.id, target), input.purpose, input.allowInPlace, source.ref.name, target.ref.name);
  if (problem) findings.unshift({ severity: 'blocking', ...problem });
  if (problem || report.verdict === 'NotRestorable') return refuse(findings, report.backupName);

  await create({ ...base, backupName: report.backupName, verdict: report.verdict, findings });
  services.logger.event('apim-dr.restore.accepted', {
    source: source.ref.name,
    target: target.ref.name,
    purpose: input.purpose,
    backupName: report.backupName,
    correlationId: input.correlationId,
    verdict: report.verdict,
  });
  return { status: 'ready', recordName, backupName: report.backupName, findings, ...plan };
}
