/**
 * One backup's manifest or one restore or migration record, whole: for `apim-dr describe` and `GET /api/describe`.
 * A backup also says what no APIM backup carries, so that nobody counts on it after a restore.
 */
import { parseBackupName } from '../../domain/backupName';
import { NOT_IN_BACKUP } from '../../domain/compatibility';
import { UserError } from '../../errors';
import type { Services } from '../../services';
import { clip } from '../../validation';
import { migrationRecordPath } from '../migrate/migrationRollback';
import { restoreRecordPath } from '../restore/rollback';

export type Described =
  | { kind: 'backup'; name: string; manifest: Record<string, unknown>; notInBackup: readonly string[] }
  | { kind: 'restore' | 'migration'; name: string; record: Record<string, unknown> };

export const NAME_FORMATS =
  "a backup ('contoso-apim-weu.20260301T020000Z.scheduled.apimbackup'), or a restore or migration record as its result names it ('restores/contoso-apim-neu.20260301T020000Z.1234abc.json', with or without 'restores/' and '.json')";

export async function describeEntry(services: Services, name: string): Promise<Described> {
  const given = name.trim();
  if (parseBackupName(given.replace(/\.manifest\.json$/, '.apimbackup'))) {
    const backupName = given.replace(/\.manifest\.json$/, '.apimbackup');
    const stored = await services.catalog.read(backupName);
    if (!stored)
      throw new UserError(
        `there is no backup '${backupName}' in container '${services.config.storage.container}': 'apim-dr list' names them`,
        'not-found',
        'BackupNotFound',
      );
    // The operation token is apim-dr's own resume state, not something to show around.
    const { operationToken: _resumeState, ...manifest } = stored.manifest;
    return { kind: 'backup', name: backupName, manifest, notInBackup: NOT_IN_BACKUP };
  }
  const folder = given.startsWith('migrations/') ? 'migrations' : given.startsWith('restores/') ? 'restores' : undefined;
  if (folder !== 'migrations') {
    const path = pathOrUndefined(() => restoreRecordPath(given));
    const found = path && (await services.restores.read(path));
    if (found) return { kind: 'restore', name: path, record: withoutToken(found.record) };
  }
  if (folder !== 'restores') {
    const path = pathOrUndefined(() => migrationRecordPath(given));
    const found = path && (await services.migrations.read(path));
    if (found) return { kind: 'migration', name: path, record: withoutToken(found.record) };
  }
  if (!pathOrUndefined(() => restoreRecordPath(given.replace(/^migrations\//, ''))))
    throw new UserError(`'${clip(given)}' names neither a backup nor a record: give ${NAME_FORMATS}`, 'usage', 'InvalidName');
  throw new UserError(`there is no record '${clip(given)}': 'apim-dr restores' lists them`, 'not-found', 'RecordNotFound');
}

function pathOrUndefined(path: () => string): string | undefined {
  try {
    return path();
  } catch {
    return undefined;
  }
}

function withoutToken(record: { operationToken?: string }): Record<string, unknown> {
  const { operationToken: _resumeState, ...rest } = record;
  return rest;
}
