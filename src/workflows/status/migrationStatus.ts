/**
 * Each instance's newest migration, for status and the dashboard: one listing of `migrations/` (migrations are
 * rare) and one read per instance that has any; the Durable status only of migrations still running.
 */
import { targetLockId } from '../../domain/instanceIds';
import type { MigrationRecord } from '../../domain/migrationRecord';
import type { Services } from '../../services';
import type { OrchestrationStarter } from '../starter';
import { operationStatus } from '../watchStatus';

export interface MigrationStatus {
  recordName: string;
  kind: MigrationRecord['kind'];
  state: MigrationRecord['state'];
  mode?: string;
  target?: string;
  requestedAt: string;
  completedAt?: string;
  /** While it runs: its phase and percent of the expected ~45 minutes. */
  phase?: string;
  percent?: number;
  /** Set when it has run past the point where Microsoft asks for a support case. */
  overdue?: string;
  /** Until when the pre-migration backup can be restored into another instance. */
  wayBackUntil?: string;
  error?: string;
}

/** Newest migration per instance name (lower case). */
export async function latestMigrations(services: Services, starter?: OrchestrationStarter): Promise<Map<string, MigrationStatus>> {
  const newest = new Map<string, string>();
  for (const name of (await services.migrations.names()).sort()) {
    const subject = name.slice('migrations/'.length).split('.')[0]!.toLowerCase();
    newest.set(subject, name);
  }
  const found = new Map<string, MigrationStatus>();
  await Promise.all(
    [...newest].map(async ([subject, recordName]) => {
      const record = (await services.migrations.read(recordName))?.record;
      if (!record) return;
      const blocking = record.findings.find((f) => f.severity === 'blocking');
      const error = record.error ? `${record.error.code}: ${record.error.message}` : blocking && `${blocking.code}: ${blocking.message}`;
      const status: MigrationStatus = {
        recordName,
        kind: record.kind,
        state: record.state,
        mode: record.mode,
        target: record.target,
        requestedAt: record.requestedAt,
        completedAt: record.completedAt,
        wayBackUntil: record.preMigrationBackup?.expiresAt,
        error,
      };
      if (record.state === 'running' && starter) {
        const changed = record.kind === 'side-by-side' ? { name: record.target!, id: record.targetId! } : { name: record.service, id: record.serviceId };
        const custom = (await operationStatus(starter, targetLockId(changed.name, changed.id)))?.customStatus as
          { phase?: string; percent?: number; overdue?: string } | undefined;
        Object.assign(status, { phase: custom?.phase, percent: custom?.percent, overdue: custom?.overdue });
      }
      found.set(subject, status);
    }),
  );
  return found;
}
