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
import { ANSWER_LOST_RETRY_MS, BUSY_RETRY_MS, refuseUserErrors } from '../operation';
import { claimHeld, CLAIM_HELD_MESSAGE, lostClaim } from '../postClaim';
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
  if (record.operationToken || record.state !== 'running') return { status: 'started', token: record.operationToken, pollIntervalMs };

  const instance = resolveInstance(services.config, record.serviceId, 'service');
  if (record.startedAt) {
    // Our POST went out but its answer was lost (or the activity died after it): a busy instance, or one already on
    // stv2, is our migration. checkMigrationOperation tells if it was not.
    const snapshot = await services.apim.getService(instance.ref);
    if (isBusy(snapshot.provisioningState) || isMigrated(snapshot.platformVersion)) return { status: 'started', pollIntervalMs };
    // A fresh mark: a concurrent execution of this step may be sending its POST right now.
    if (claimHeld(record.startedAt, services.clock.now())) return { status: 'busy', message: CLAIM_HELD_MESSAGE, retryAfterMs: ANSWER_LOST_RETRY_MS };
  }
  const marked = { ...record, startedAt: services.clock.now().toISOString(), preMigrationBackup: input.preMigrationBackup };
  let markedEtag: string | false;
  try {
    markedEtag = await services.migrations.write(marked, etag);
  } catch (err) {
    // Another execution marked the record first: it sends the POST.
    if (lostClaim(err)) return { status: 'busy', message: CLAIM_HELD_MESSAGE, retryAfterMs: ANSWER_LOST_RETRY_MS };
    throw err;
  }
  const started = await services.apim.startMigration(instance.ref, mode);
  if (started.status === 'unanswered') {
    // ARM may have taken our POST: the mark stays, so the next attempt adopts what runs on the instance (and the
    // check sees whether it moved the instance off stv1).
    return { status: 'busy', message: started.message, retryAfterMs: ANSWER_LOST_RETRY_MS };
  }
  if (started.status === 'busy') {
    // 409 to a POST that was answered: not ours (ours are never resent), so the mark goes and the wait begins.
    await services.migrations.write({ ...record }, markedEtag || undefined);
    return { status: 'busy', message: started.message, retryAfterMs: BUSY_RETRY_MS };
  }
  if (started.status === 'rejected') return { status: 'refused', code: started.code, message: started.message };
  await services.migrations.write({ ...marked, operationToken: started.token }, markedEtag || undefined);
  services.logger.event('apim-dr.migration.started', migrationEventProperties(marked));
  return { status: 'started', token: started.token, pollIntervalMs, retryAfterMs: started.retryAfterMs };
}
