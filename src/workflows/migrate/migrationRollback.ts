/**
 * The way back after an in-place migration, as Microsoft documents it: restore the pre-migration backup (the old
 * platform's configuration) into another instance. Possible only until that backup expires; the ask is built from
 * the migration's record, so nothing else can be restored under its name.
 */
import { resolveInstance } from '../../config/resolveService';
import { isRestorable } from '../../domain/expiry';
import { sameServiceId } from '../../domain/resourceId';
import { UserError } from '../../errors';
import type { Services } from '../../services';
import type { RestoreAsk } from '../restore/requestRestore';
import { recordPath } from '../restore/rollback';

export function migrationRecordPath(reference: string): string {
  return recordPath('migrations', reference, 'contoso-apim-dev.20260301T020000Z.123abcd.json');
}

export async function migrationRollbackAsk(services: Services, reference: string, to: string, requestedBy: string): Promise<RestoreAsk> {
  const recordName = migrationRecordPath(reference);
  const record = (await services.migrations.read(recordName))?.record;
  if (!record) {
    throw new UserError(
      `there is no migration record '${recordName}' in container '${services.config.storage.stateContainer}'`,
      'not-found',
      'MigrationRecordNotFound',
    );
  }
  if (record.state === 'running') {
    throw new UserError(`the migration '${recordName}' is still running; its way back opens once it has finished`, 'conflict', 'InstanceBusy');
  }
  const backup = record.preMigrationBackup;
  if (!backup) {
    throw new UserError(
      `the migration '${recordName}' ${record.state === 'refused' ? 'was refused' : 'failed'} before its pre-migration backup was taken: '${record.service}' was not migrated, so there is nothing to go back from`,
      'refused',
      'NoWayBack',
    );
  }
  const target = resolveInstance(services.config, to, '--to');
  if (sameServiceId(target.ref.id, record.serviceId)) {
    throw new UserError(
      `'${record.service}' is the migrated instance itself: restoring its pre-migration backup there would not bring stv1 back; restore into another ${record.kind === 'in-place' ? 'instance of the same tier' : 'instance'} and move the traffic there`,
      'refused',
      'WayBackIsAnotherInstance',
    );
  }
  const now = services.clock.now();
  const margin = services.config.defaults.restoreMargin;
  if (!isRestorable({ ...backup, state: 'succeeded', createdAt: record.requestedAt }, now, margin)) {
    throw new UserError(
      `the way back from '${recordName}' closed at ${new Date(Date.parse(backup.expiresAt) - margin).toISOString()}: its pre-migration backup '${backup.backupName}' expires at ${backup.expiresAt} (APIM restores backups for 30 days)`,
      'refused',
      'WayBackClosed',
    );
  }
  return { source: record.serviceId, target: target.ref.id, backup: backup.backupName, requestedBy };
}
