/**
 * Activity: send the `migrateToStv2` POST once, even when the activity runs twice. The record is marked before the
 * POST and gets the operation's token after it; a re-run finds either and never sends a second POST for one record.
 */
import { resolveInstance } from '../../config/resolveService';
import { isMigrated } from '../../domain/migration';
import { migrationEventProperties } from '../../domain/migrationRecord';
import { isBusy } from '../../domain/provisioningState';
import { UserError } from '../../errors';
import type { Services } from '../../services';
import { refuseUserErrors } from '../operation';
import { postOnce } from '../postOnce';
import type { StartMigrationInput, StartMigrationOutput } from './types';

export async function startMigration(services: Services, input: StartMigrationInput): Promise<StartMigrationOutput> {
  // A user error is recorded with the rest of the outcome when the operation finishes; never retried.
  return refuseUserErrors(() => start(services, input));
}

async function start(services: Services, input: StartMigrationInput): Promise<StartMigrationOutput> {
  const pollIntervalMs = services.config.defaults.pollInterval;
  const stored = await services.migrations.read(input.recordName);
  const mode = stored?.record.mode;
  if (!stored || !mode)
    throw new UserError(`migration record '${input.recordName}' is missing or is not an in-place migration`, 'not-found', 'MigrationRecordMissing');
  const { record, etag } = stored;
  const instance = resolveInstance(services.config, record.serviceId, 'service');
  return postOnce({
    record,
    etag,
    write: (r, e) => services.migrations.write(r, e),
    now: services.clock.now(),
    pollIntervalMs,
    // A busy instance, or one already on stv2, is our migration; checkMigrationOperation tells if it was not.
    oursRunning: async () => {
      const snapshot = await services.apim.getService(instance.ref);
      return isBusy(snapshot.provisioningState) || isMigrated(snapshot.platformVersion);
    },
    mark: (startedAt) => ({ ...record, startedAt, preMigrationBackup: input.preMigrationBackup }),
    unmark: { ...record },
    post: () => services.apim.startMigration(instance.ref, mode),
    started: (marked) => services.logger.event('apim-dr.migration.started', migrationEventProperties(marked)),
  });
}
