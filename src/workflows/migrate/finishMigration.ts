/** Activity: settle the migration record from the outcome and the verification (idempotent), and report it. */
import { closuresOnSuccess } from '../../domain/incidentClosures';
import { migrationEventProperties, type MigrationRecord } from '../../domain/migrationRecord';
import type { Services } from '../../services';
import { settleRecord } from '../settleOnce';
import type { FinishMigrationInput, MigrationSummary, MigrationVerification } from './types';

export async function finishMigration(services: Services, input: FinishMigrationInput): Promise<MigrationSummary> {
  const record = await settleRecord(services.migrations, input.recordName, 'migration', {
    settle: (running) => settle(services, running, input),
    report: (settled) => report(services, settled),
  });
  const { recordName, kind, service, mode, target, state, verdict, findings, preMigrationBackup, postMigrationBackup, restoreRecord } = record;
  const { durations, ipsBefore, ipsAfter, verification, checklist, error, requestedAt, completedAt } = record;
  return {
    recordName,
    kind,
    service,
    mode,
    target,
    state,
    verdict,
    findings,
    preMigrationBackup,
    postMigrationBackup,
    restoreRecord,
    durations,
    ipsBefore,
    ipsAfter,
    verification,
    checklist,
    error,
    requestedAt,
    completedAt,
    ...(record.approval ? { approval: record.approval } : {}),
  };
}

async function report(services: Services, record: MigrationRecord): Promise<void> {
  const ok = record.state === 'succeeded';
  services.logger.event(
    ok ? 'apim-dr.migration.succeeded' : 'apim-dr.migration.failed',
    { ...migrationEventProperties(record), durations: record.durations, ipsBefore: record.ipsBefore, ipsAfter: record.ipsAfter, error: record.error },
    ok ? 'info' : 'error',
  );
  services.telemetry.operationFinished({
    kind: 'migration',
    service: record.service,
    state: record.state,
    startedAt: record.requestedAt,
    completedAt: record.completedAt ?? services.clock.now().toISOString(),
    correlationId: record.correlationId,
    attributes: { 'apim_dr.migration_kind': record.kind, 'apim_dr.mode': record.mode ?? '', 'apim_dr.target': record.target ?? '' },
    error: record.error,
  });
  if (ok) await services.notifier.observe(closuresOnSuccess('migrate', record.service, record.completedAt ?? services.clock.now().toISOString()));
}

function settle(services: Services, record: MigrationRecord, input: FinishMigrationInput): MigrationRecord {
  const now = services.clock.now();
  const pre = input.preMigrationBackup;
  const { ipsAfter, ...verification } = input.verification ?? ({} as Partial<MigrationVerification>);
  const settled: MigrationRecord = {
    ...record,
    completedAt: now.toISOString(),
    durations: {
      ...(pre ? { preMigrationBackupMs: pre.durationMs } : {}),
      ...(record.startedAt ? { migrationMs: now.getTime() - Date.parse(record.startedAt) } : {}),
      totalMs: now.getTime() - Date.parse(record.requestedAt),
    },
    ...(pre ? { preMigrationBackup: { backupName: pre.backupName, expiresAt: pre.expiresAt } } : {}),
    ...(input.postMigrationBackup ? { postMigrationBackup: input.postMigrationBackup } : {}),
    ...(input.restoreRecord ? { restoreRecord: input.restoreRecord } : {}),
    ...(ipsAfter ? { ipsAfter } : {}),
    ...(input.verification ? { verification: verification as NonNullable<MigrationRecord['verification']> } : {}),
  };
  if (input.outcome.status === 'failed') {
    const platforms = input.verification ? Object.values(input.verification.platforms) : [];
    const reverted = platforms.length > 0 && platforms.every((p) => p === 'stv1');
    const after = reverted ? ` ARM reverted '${record.service}' to stv1; its backups and schedule go on as before.` : '';
    return { ...settled, state: 'failed', error: { code: input.outcome.code, message: `${input.outcome.message}${after}` } };
  }
  if (input.verification && !input.verification.ok) {
    const v = input.verification;
    const message = `'${record.service}' after the migration: ${v.provisioningState}, platform ${JSON.stringify(v.platforms)}, configuration ${JSON.stringify(v.actual)} (the pre-migration backup held ${JSON.stringify(v.expected)}): check it by hand`;
    return { ...settled, state: 'failed', error: { code: 'VerificationFailed', message } };
  }
  return { ...settled, state: 'succeeded' };
}
