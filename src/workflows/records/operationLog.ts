/**
 * An operation's events, wherever it ran (the app or a CLI in process): for `apim-dr logs` and
 * `GET /api/operations/{id}/logs`. The operation is named by its operation ID (the newest run under it), its record,
 * or its backup; each leads to the correlation ID its events are kept under (azure/operationEvents.ts).
 */
import { resolveInstance, resolveService } from '../../config/resolveService';
import { parseBackupName } from '../../domain/backupName';
import { formatDuration } from '../../domain/duration';
import { backupInstanceId, targetLockId } from '../../domain/instanceIds';
import { parseRecordName } from '../../domain/recordRetention';
import type { OperationEvent } from '../../telemetry/operationEvents';
import { UserError } from '../../errors';
import { snapshotApplyLog } from '../../azure/snapshot/applyLog';
import type { ApplyRecord } from '../../domain/snapshot/applyRecord';
import { parseSnapshotName } from '../../domain/snapshot/snapshotManifest';
import { snapshotInstanceId } from '../snapshot/names';
import type { Services } from '../../services';
import { clip } from '../../validation';
import { describeEntry, NAME_FORMATS } from './describeEntry';

export interface OperationLog {
  /** What the events belong to: a backup's name or a record's. */
  operation: string;
  kind: 'backup' | 'restore' | 'migration' | 'snapshot-apply' | 'snapshot';
  correlationId: string;
  /** Running, succeeded, failed, refused… as its manifest or record says now. */
  state: string;
  events: OperationEvent[];
}

export const OPERATION_FORMATS = `an operation ID ('restore-contoso-apim-neu-1a2b3c4d', 'backup-contoso-apim-weu-1a2b3c4d': its newest run), ${NAME_FORMATS}, a snapshot apply record ('snapshot-applies/contoso-apim-neu.20260301T020000Z.1a2b3c4d.json'), or a snapshot ('contoso-apim-weu.20260301T020000Z.manual', its operation ID 'snapshot-contoso-apim-weu-1a2b3c4d')`;

const APPLY_FOLDER = 'snapshot-applies/';

const OPERATION_ID = /^(backup|restore|snapshot)-([a-z0-9-]{1,60})-([0-9a-f]{8})$/;

export async function operationLog(services: Services, name: string): Promise<OperationLog> {
  const given = name.trim();
  const subject = OPERATION_ID.exec(given) ? await newestRun(services, given) : await named(services, given);
  return { ...subject, events: await services.operationEvents.read(subject.correlationId) };
}

/** What a backup's or record's name names, with the correlation ID it was run under. */
async function named(services: Services, name: string): Promise<Omit<OperationLog, 'events'>> {
  if (parseSnapshotName(name)) {
    const manifest = await services.snapshots.readManifest(name);
    // A snapshot taken before takes kept their events names no correlation ID: its log is empty, and says so.
    return { operation: name, kind: 'snapshot', correlationId: manifest.correlationId ?? '', state: 'taken' };
  }
  if (name.startsWith(APPLY_FOLDER)) {
    const apply = await applyRecordOf(services, name);
    if (apply) return apply;
    throw retiredOrNot(
      services,
      name,
      new UserError(`there is no snapshot apply record '${clip(name)}': 'apim-dr restores' lists records`, 'not-found', 'RecordNotFound'),
    );
  }
  let described;
  try {
    described = await describeEntry(services, name);
  } catch (err) {
    // A record's name without its folder (as the HTTP route takes it) may be a snapshot apply's.
    const apply = err instanceof UserError && (err.code === 'InvalidName' || err.code === 'RecordNotFound') ? await applyRecordOf(services, name) : undefined;
    if (apply) return apply;
    if (err instanceof UserError && err.code === 'InvalidName')
      throw new UserError(`'${clip(name)}' names no operation: give ${OPERATION_FORMATS}`, 'usage', 'InvalidOperationName');
    throw retiredOrNot(services, name, err);
  }
  const fields = described.kind === 'backup' ? described.manifest : described.record;
  return { operation: described.name, kind: described.kind, correlationId: String(fields['correlationId']), state: String(fields['state']) };
}

/** A snapshot apply record by its name, with or without its folder and `.json`; its events are under its correlation ID. */
async function applyRecordOf(services: Services, name: string): Promise<Omit<OperationLog, 'events'> | undefined> {
  const bare = name.replace(/^snapshot-applies\//, '').replace(/\.json$/, '');
  if (!/^[A-Za-z0-9-]+\.\d{8}T\d{6}Z\.[0-9a-f]{8}$/.test(bare)) return undefined;
  const stored = await snapshotApplyLog(services.snapshots.container).read(`${APPLY_FOLDER}${bare}.json`);
  return stored && applyLogSubject(stored.record);
}

function applyLogSubject(record: ApplyRecord): Omit<OperationLog, 'events'> {
  // A record written before applies kept their events names none: its log is empty, and says so.
  return { operation: record.recordName, kind: 'snapshot-apply', correlationId: record.correlationId ?? '', state: record.state };
}

/**
 * A backup or record that is not found but is older than what the sweep keeps was retired, with its events: say so
 * (from its name alone, no request), rather than "not found" with no hint.
 */
function retiredOrNot(services: Services, name: string, err: unknown): unknown {
  if (!(err instanceof UserError) || (err.code !== 'BackupNotFound' && err.code !== 'RecordNotFound')) return err;
  const { retention, recordRetention } = services.config.defaults;
  const backup = parseBackupName(name.replace(/\.manifest\.json$/, '.apimbackup'));
  const record = backup
    ? undefined
    : parseRecordName(
        name.includes('/') ? name.replace(/^snapshot-applies\/(.*?)(\.json)?$/, 'snapshot-applies/$1.json') : `restores/${name.replace(/\.json$/, '')}.json`,
      );
  const at = backup?.createdAt.getTime() ?? record?.at.getTime();
  const kept = backup ? retention : recordRetention;
  if (at === undefined || services.clock.now().getTime() - at < kept) return err;
  return new UserError(
    `'${clip(name)}' was retired by the daily sweep with its events: ${backup ? 'backups are kept' : 'records are kept'} ${formatDuration(kept)} (records: the newest ${services.config.defaults.recordsKept} per instance longer), and an operation's events as long as a record names it`,
    'not-found',
    'OperationRetired',
  );
}

/** An operation ID names every run into one instance; its newest run is the one asked about. */
async function newestRun(services: Services, id: string): Promise<Omit<OperationLog, 'events'>> {
  const [, kind, instance] = OPERATION_ID.exec(id)!;
  if (id.startsWith('snapshot-check-'))
    throw new UserError(
      `operation '${clip(id)}' is a dry run: it changes nothing and keeps no events ('GET /api/operations/${clip(id)}' has its answer)`,
      'not-found',
      'OperationNotFound',
    );
  const unknown = () =>
    new UserError(
      `operation '${clip(id)}' is not one of this app's: 'apim-dr status' names the instances, 'apim-dr restores' the records`,
      'not-found',
      'OperationNotFound',
    );
  // The instance named in the ID must be configured, and the ID its own (the hash is of its resource ID).
  const known = <T extends { ref: { name: string; id: string } }>(resolve: () => T, idOf: (name: string, resourceId: string) => string): T => {
    let resolved: T;
    try {
      resolved = resolve();
    } catch {
      throw unknown();
    }
    if (idOf(resolved.ref.name, resolved.ref.id) !== id) throw unknown();
    return resolved;
  };
  if (kind === 'backup') {
    const service = known(() => resolveService(services.config, instance!, 'operation'), backupInstanceId);
    const newest = (await services.catalog.list(service.ref.name))[0];
    if (!newest)
      throw new UserError(`operation '${id}' has not run yet: no backup of '${service.ref.name}' is in the catalog`, 'not-found', 'OperationNotFound');
    return named(services, newest.backupName);
  }
  if (kind === 'snapshot') {
    // The take's own runs (manual, scheduled, event); a pre-apply snapshot is its apply's, in the apply's log.
    const service = known(() => resolveInstance(services.config, instance!, 'operation'), snapshotInstanceId);
    const newest = (await services.snapshots.list(service.ref.name)).find((e) => parseSnapshotName(e.snapshotName)?.trigger !== 'pre-apply');
    if (!newest) throw new UserError(`operation '${id}' has not run yet: no snapshot of '${service.ref.name}' is kept`, 'not-found', 'OperationNotFound');
    return named(services, newest.snapshotName);
  }
  const target = known(() => resolveInstance(services.config, instance!, 'operation'), targetLockId);
  // Restores into an instance, migrations of it and snapshot applies into it share its operation ID (the target's
  // lock): the newest record of any of them is its newest run.
  const [restore, migration, apply] = await Promise.all([
    services.restores.recent(target.ref.name, 1),
    services.migrations.recent(target.ref.name, 1),
    snapshotApplyLog(services.snapshots.container).recent(target.ref.name, 1),
  ]);
  const runs = [
    ...[...restore, ...migration].map((r) => ({ at: r.requestedAt, recordName: r.recordName })),
    ...apply.map((r) => ({ at: r.startedAt, recordName: r.recordName })),
  ];
  const newest = runs.sort((a, b) => b.at.localeCompare(a.at))[0];
  if (!newest)
    throw new UserError(
      `operation '${id}' has not run yet: no restore into, migration of or snapshot apply into '${target.ref.name}' is recorded`,
      'not-found',
      'OperationNotFound',
    );
  return named(services, newest.recordName);
}
