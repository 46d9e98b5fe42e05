/** A rollback restores the pre-restore backup a restore took of its target: the ask is built from that restore's record. */
import { clip } from '../../validation';
import { UserError } from '../../errors';
import type { Services } from '../../services';
import type { RestoreAsk } from './requestRestore';

/** `reference`: the record's name as the status and the restore's result give it, with or without `restores/` and `.json`. */
export function restoreRecordPath(reference: string): string {
  const bare = reference
    .trim()
    .replace(/^restores\//, '')
    .replace(/\.json$/, '');
  // The time, then (since record names are unique within a second) the milliseconds and an id.
  if (!/^[a-zA-Z][a-zA-Z0-9-]*\.\d{8}T\d{6}Z(\.\d{3}[0-9a-f]{4})?$/.test(bare)) {
    throw new UserError(
      `'${clip(reference)}' is not a restore record name; write e.g. 'restores/contoso-apim-neu.20260301T020000Z.json', as a restore's result names it`,
      'usage',
      'InvalidRecordName',
    );
  }
  return `restores/${bare}.json`;
}

export async function rollbackAsk(services: Services, reference: string, requestedBy: string): Promise<RestoreAsk> {
  const recordName = restoreRecordPath(reference);
  const record = (await services.restores.read(recordName))?.record;
  if (!record) {
    throw new UserError(
      `there is no restore record '${recordName}' in container '${services.config.storage.container}'; the status names each standby's last restore`,
      'not-found',
      'RestoreRecordNotFound',
    );
  }
  if (record.state === 'running') {
    throw new UserError(`the restore '${recordName}' is still running; roll it back once it has finished`, 'conflict', 'TargetBusy');
  }
  if (!record.preRestoreBackup) {
    throw new UserError(
      `the restore '${recordName}' took no pre-restore backup of '${record.target}' (it ${record.state === 'refused' ? 'was refused' : 'went into a pure standby, or preRestoreBackup was off'}), so there is nothing to roll back to`,
      'refused',
      'NoRollbackPath',
    );
  }
  return {
    source: record.targetId,
    target: record.targetId,
    backup: record.preRestoreBackup,
    purpose: 'rollback',
    rollbackOf: recordName,
    // What a rollback undoes is the restore it rolls back; backing that up first would only delay it.
    preRestoreBackup: false,
    requestedBy,
  };
}
