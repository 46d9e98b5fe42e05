/**
 * Restore and migration records, newest first: who, what, when, verdict, RTO, and the exact command that undoes each
 * (where there is one). For `apim-dr restores`, `GET /api/restores` and the dashboard.
 */
import { resolveInstance } from '../../config/resolveService';
import type { MigrationRecord } from '../../domain/migrationRecord';
import type { RestoreRecord } from '../../domain/restoreRecord';
import type { Services } from '../../services';

export interface RecordSummary {
  recordName: string;
  kind: 'restore' | 'migration';
  /** restore, sync, drill, rollback, migration (a restore's); in-place or side-by-side (a migration's). */
  purpose: string;
  target: string;
  source: string;
  backupName?: string;
  requestedBy: string;
  requestedAt: string;
  completedAt?: string;
  state: string;
  rtoMs?: number;
  error?: string;
  /** The exact command that undoes it, when it took a backup to go back to and succeeded. */
  rollback?: string;
}

export const DEFAULT_RECORD_LIMIT = 20;

/** `target`: an instance's name or ID (its records only), or undefined for the whole fleet's. */
export async function listRecords(services: Services, target: string | undefined, limit = DEFAULT_RECORD_LIMIT): Promise<RecordSummary[]> {
  if (target !== undefined) {
    const name = resolveInstance(services.config, target, '<target>').ref.name;
    const [restores, migrations] = await Promise.all([services.restores.recent(name, limit), services.migrations.recent(name, limit)]);
    return newestFirst([...restores.map(ofRestore), ...migrations.map(ofMigration)]).slice(0, limit);
  }
  const [restoreNames, migrationNames] = await Promise.all([services.restores.names(), services.migrations.names()]);
  const newest = newestFirst([...restoreNames, ...migrationNames].map((recordName) => ({ recordName }))).slice(0, limit);
  const read = await Promise.all(
    newest.map(async ({ recordName }) =>
      recordName.startsWith('migrations/')
        ? ofMaybe((await services.migrations.read(recordName))?.record, ofMigration)
        : ofMaybe((await services.restores.read(recordName))?.record, ofRestore),
    ),
  );
  return read.flatMap((r) => (r ? [r] : []));
}

/** A record's time is in its name, after the subject: `<folder>/<subject>.<yyyyMMddTHHmmssZ>[.<ms><id>].json`. */
export function recordTime(recordName: string): string {
  const bare = recordName.slice(recordName.indexOf('/') + 1);
  return bare.slice(bare.indexOf('.') + 1);
}

function newestFirst<T extends { recordName: string }>(records: T[]): T[] {
  return [...records].sort((a, b) => recordTime(b.recordName).localeCompare(recordTime(a.recordName)));
}

function ofMaybe<R, S>(record: R | undefined, map: (r: R) => S): S | undefined {
  return record === undefined ? undefined : map(record);
}

function ofRestore(r: RestoreRecord): RecordSummary {
  return {
    recordName: r.recordName,
    kind: 'restore',
    purpose: r.purpose,
    target: r.target,
    source: r.source,
    backupName: r.backupName,
    requestedBy: r.requestedBy,
    requestedAt: r.requestedAt,
    completedAt: r.completedAt,
    state: r.state,
    rtoMs: r.rtoMs,
    error: r.error ? `${r.error.code}: ${r.error.message}` : undefined,
    rollback: r.state === 'succeeded' && r.preRestoreBackup ? `apim-dr restore --rollback ${r.recordName} --yes` : undefined,
  };
}

function ofMigration(m: MigrationRecord): RecordSummary {
  return {
    recordName: m.recordName,
    kind: 'migration',
    purpose: m.kind,
    target: m.target ?? m.service,
    source: m.service,
    backupName: m.preMigrationBackup?.backupName,
    requestedBy: m.requestedBy,
    requestedAt: m.requestedAt,
    completedAt: m.completedAt,
    state: m.state,
    rtoMs: m.durations?.totalMs,
    error: m.error ? `${m.error.code}: ${m.error.message}` : undefined,
    // The way back from an in-place migration is a restore of the pre-migration backup into another instance.
    rollback:
      m.kind === 'in-place' && m.state === 'succeeded' && m.preMigrationBackup ? `apim-dr migrate --rollback ${m.recordName} --to <instance> --yes` : undefined,
  };
}
