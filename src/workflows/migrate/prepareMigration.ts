/**
 * Activity: the gate before a migration. Runs the dry run and writes the migration record (refused, or running
 * with the findings and today's IPs). A re-run of the activity resumes from the record it wrote.
 */
import { resolveInstance } from '../../config/resolveService';
import type { Finding } from '../../domain/compatibility';
import { type MigrationReport, type SideBySideReport } from '../../domain/migration';
import { expectedMigrationMs } from '../../domain/migrationProgress';
import { migrationEventProperties, migrationRecordName, type MigrationRecord } from '../../domain/migrationRecord';
import { AzureError } from '../../errors';
import type { Services } from '../../services';
import { checkInPlaceMigration, checkSideBySideMigration } from './checkMigration';
import type { PrepareMigrationInput, PrepareMigrationOutput } from './types';

export async function prepareMigration(services: Services, input: PrepareMigrationInput): Promise<PrepareMigrationOutput> {
  const instance = resolveInstance(services.config, input.serviceId, 'service');
  const target = input.targetId ? resolveInstance(services.config, input.targetId, 'to') : undefined;
  const recordName = migrationRecordName(instance.ref.name, new Date(input.requestedAt), `${input.owner}|${input.correlationId}`);
  const [existing, history] = await Promise.all([services.migrations.read(recordName), services.migrations.recent(instance.ref.name)]);
  // A percent only from this instance's own earlier migrations; without one the watch shows the phase and time elapsed.
  const expectedMs = expectedMigrationMs(history);
  const plan = expectedMs === undefined ? {} : { expectedMs };
  if (existing && existing.record.owner === input.owner) {
    const { record } = existing;
    return record.state === 'refused'
      ? { status: 'refused', recordName, findings: record.findings }
      : { status: 'ready', recordName, findings: record.findings, ...plan };
  }

  const report: MigrationReport | SideBySideReport = target
    ? await checkSideBySideMigration(services, { service: instance.ref.id, target: target.ref.id })
    : await checkInPlaceMigration(services, { service: instance.ref.id, mode: input.mode });
  const refused = report.verdict === 'NotMigratable';
  const record: MigrationRecord = {
    schemaVersion: 1,
    recordName,
    kind: input.kind,
    service: instance.ref.name,
    serviceId: instance.ref.id,
    ...(target ? { target: target.ref.name, targetId: target.ref.id } : { mode: input.mode }),
    requestedBy: input.requestedBy,
    ...(input.approval ? { approval: input.approval } : {}),
    correlationId: input.correlationId,
    owner: input.owner,
    requestedAt: input.requestedAt,
    state: refused ? 'refused' : 'running',
    verdict: report.verdict,
    findings: report.findings,
    ipsBefore: report.publicIPs,
    ...('checklist' in report ? { checklist: report.checklist } : {}),
    ...(refused ? { completedAt: services.clock.now().toISOString() } : {}),
  };
  // The name is this request's own: only a re-run of this activity can have taken it, and the retry resumes from it.
  if (!(await services.migrations.write(record))) {
    throw new AzureError(`migration record '${recordName}' already exists; resuming from it`, 'MigrationRecordExists');
  }
  if (refused) {
    const blocking = report.findings.filter((f: Finding) => f.severity === 'blocking').map((f) => f.code);
    services.logger.event('apim-dr.migration.refused', { ...migrationEventProperties(record), blocking }, 'warn');
    return { status: 'refused', recordName, findings: report.findings };
  }
  services.logger.event('apim-dr.migration.accepted', { ...migrationEventProperties(record), verdict: report.verdict });
  return { status: 'ready', recordName, findings: report.findings, ...plan };
}
