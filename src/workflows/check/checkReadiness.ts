/** Backup readiness of one instance: can apim-dr back it up right now? */
import { resolveInstance } from '../../config/resolveService';
import { checkBackupReadiness, type ReadinessProblem } from '../../domain/backupReadiness';
import { UserError, ensureError } from '../../errors';
import { backupDurations, scheduleRpoProblem } from '../../domain/rpoPlan';
import type { Services } from '../../services';

export interface ReadinessReport {
  service: string;
  ready: boolean;
  problems: ReadinessProblem[];
  /** Not blocking: e.g. a schedule that cannot hold the RPO alone (apim-dr adds backups). */
  warnings: ReadinessProblem[];
}

export async function checkReadiness(services: Services, service: string): Promise<ReadinessReport> {
  const instance = resolveInstance(services.config, service, '<service>');
  const access = instance.protected?.access ?? services.config.defaults.access;
  const [snapshot, gateways, storage, history] = await Promise.all([
    services.apim.getService(instance.ref),
    services.apim.countWorkspaceGateways(instance.ref),
    storageProblems(services),
    instance.protected ? services.catalog.list(instance.ref.name) : Promise.resolve([]),
  ]);
  const problems = [...checkBackupReadiness(snapshot, gateways, access), ...storage];
  const warning =
    instance.protected?.schedule && scheduleRpoProblem(instance.protected.schedule, instance.protected.rpoMs, backupDurations(history), services.clock.now());
  const warnings = warning
    ? [
        {
          code: 'ScheduleCannotHoldRpo',
          message: warning,
          fix: 'schedule backups more often, or raise the RPO; meanwhile apim-dr starts extra backups to hold it',
        },
      ]
    : [];
  return { service: instance.ref.name, ready: problems.length === 0, problems, warnings };
}

/** Whether apim-dr can write backups to its container at all (reachable, CORS off). */
export async function storageProblems(services: Services): Promise<ReadinessProblem[]> {
  const problems: ReadinessProblem[] = [];
  try {
    await services.catalog.ensureReachable();
  } catch (err) {
    problems.push({
      code: err instanceof UserError ? err.code : 'ContainerUnreachable',
      message: ensureError(err).message,
      fix: 'create the container, and let the app reach it (network rules, role assignment)',
    });
  }
  const cors = await services.catalog.corsRuleCount();
  if (cors === 'unreadable') {
    problems.push({
      code: 'CorsUnknown',
      message: 'the blob service CORS settings could not be read with the app identity',
      fix: 'check in the portal that blob service CORS has no rules: APIM backup and restore fail when it does',
    });
  } else if (cors > 0) {
    problems.push({
      code: 'BlobCorsEnabled',
      message: `the backup storage account's blob service has ${cors} CORS rule(s); APIM backup and restore require CORS to be off`,
      fix: 'remove the blob service CORS rules of the backup storage account',
    });
  }
  return problems;
}
