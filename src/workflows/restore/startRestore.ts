/** Activity: send the restore POST once, even when the activity runs twice; the token goes into the record. */
import { resolveInstance } from '../../config/resolveService';
import { isBusy } from '../../domain/provisioningState';
import { restoreEventProperties } from '../../domain/restoreRecord';
import { UserError } from '../../errors';
import type { Services } from '../../services';
import { refuseUserErrors } from '../operation';
import { backupParameters } from '../../azure/backupParameters';
import { postOnce } from '../postOnce';
import type { StartRestoreInput, StartRestoreOutput } from './types';

export async function startRestore(services: Services, input: StartRestoreInput): Promise<StartRestoreOutput> {
  // A user error is recorded with the rest of the outcome when the operation finishes; never retried.
  return refuseUserErrors(() => start(services, input));
}

async function start(services: Services, input: StartRestoreInput): Promise<StartRestoreOutput> {
  const { recordName } = input;
  const pollIntervalMs = services.config.defaults.pollInterval;
  const stored = await services.restores.read(recordName);
  if (!stored?.record.backupName) throw new UserError(`restore record '${recordName}' is missing or names no backup`, 'not-found', 'RestoreRecordMissing');
  const record = input.preRestoreBackup ? { ...stored.record, preRestoreBackup: input.preRestoreBackup } : stored.record;
  const target = resolveInstance(services.config, record.targetId, 'target');
  const access = target.protected?.access ?? services.config.defaults.access;
  return postOnce({
    record,
    etag: stored.etag,
    write: (r, etag) => services.restores.write(r, etag),
    now: services.clock.now(),
    pollIntervalMs,
    // A busy target is running our restore: adopt it; never POST a second restore for one record.
    oursRunning: async () => isBusy((await services.apim.getService(target.ref)).provisioningState),
    mark: (startedAt) => ({ ...record, startedAt }),
    unmark: { ...record, startedAt: undefined },
    post: () => services.apim.start('restore', target.ref, backupParameters(services.config.storage, services.settings, access, record.backupName!)),
    started: () => services.logger.event('apim-dr.restore.started', restoreEventProperties(record)),
  });
}
