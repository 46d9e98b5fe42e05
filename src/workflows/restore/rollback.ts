/** A rollback restores the pre-restore backup a restore took of its target: the ask is built from that restore's record. */
import { clip } from '../../validation';
import { UserError } from '../../errors';
import { sameServiceId, SERVICE_NAME_PATTERN } from '../../domain/resourceId';
import type { Services } from '../../services';
import type { RestoreAsk } from './requestRestore';

/** A record's name without its folder: the service, the time, then (unique within a second) milliseconds and an id. */
const RECORD_STEM = new RegExp(`^${SERVICE_NAME_PATTERN}\\.\\d{8}T\\d{6}Z(\\.\\d{3}[0-9a-f]{4})?$`);

/** `reference`: the record's name as the status and the restore's result give it, with or without `restores/` and `.json`. */
export function restoreRecordPath(reference: string): string {
  return recordPath('restores', reference, 'contoso-apim-neu.20260301T020000Z.123abcd.json');
}

/** A record's blob name under `folder` from what an operator types (with or without the folder and `.json`). */
export function recordPath(folder: 'restores' | 'migrations', reference: string, example: string): string {
  const bare = reference
    .trim()
    .replace(new RegExp(`^${folder}/`), '')
    .replace(/\.json$/, '');
  // The time, then (since record names are unique within a second) the milliseconds and an id.
  if (!RECORD_STEM.test(bare)) {
    throw new UserError(
      `'${clip(reference)}' is not a ${folder === 'restores' ? 'restore' : 'migration'} record name; write e.g. '${folder}/${example}', as its result names it`,
      'usage',
      'InvalidRecordName',
    );
  }
  return `${folder}/${bare}.json`;
}

export async function rollbackAsk(services: Services, reference: string, requestedBy: string): Promise<RestoreAsk> {
  const recordName = restoreRecordPath(reference);
  const record = (await services.restores.read(recordName))?.record;
  if (!record) {
    throw new UserError(
      `there is no restore record '${recordName}' in container '${services.config.storage.stateContainer}'; the status names each standby's last restore`,
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

/**
 * A rollback may restore an instance into itself without `allowInPlace` only because it undoes a restore: the gate
 * proves that from storage, never from the orchestration's input. The record named `rollbackOf` must exist, be of a
 * restore into this same instance, and have taken exactly the backup being restored as its pre-restore backup.
 */
export async function rollbackProblem(
  services: Services,
  ask: { targetId: string; backup?: string; rollbackOf?: string },
): Promise<{ code: 'RollbackNotProven'; message: string; fix: string } | undefined> {
  const fix = "roll back with 'apim-dr restore --rollback <record>', which reads the record itself";
  const refuse = (why: string) => ({ code: 'RollbackNotProven' as const, message: `a rollback ${why}`, fix });
  if (!ask.rollbackOf) return refuse('names no restore record to undo');
  let recordName: string;
  try {
    recordName = restoreRecordPath(ask.rollbackOf);
  } catch {
    return refuse(`names '${clip(ask.rollbackOf)}', which is not a restore record name`);
  }
  const record = (await services.restores.read(recordName))?.record;
  if (!record) return refuse(`names '${recordName}', which does not exist`);
  if (!sameServiceId(record.targetId, ask.targetId)) return refuse(`may only restore '${record.target}', the target of '${recordName}'`);
  if (!record.preRestoreBackup || record.preRestoreBackup !== ask.backup) {
    return refuse(
      `may only restore the pre-restore backup '${record.preRestoreBackup ?? '(none)'}' that '${recordName}' took, not '${clip(ask.backup ?? '(the newest)')}'`,
    );
  }
  return undefined;
}
