/** Activity: send the restore POST once, even when the activity runs twice; the token goes into the record. */
import { resolveInstance } from '../../config/resolveService';
import { isBusy } from '../../domain/provisioningState';
import { restoreEventProperties } from '../../domain/restoreRecord';
import { UserError } from '../../errors';
import type { Services } from '../../services';
import { ANSWER_LOST_RETRY_MS, BUSY_RETRY_MS, refuseUserErrors } from '../operation';
import { backupParameters } from '../../azure/backupParameters';
import { claimHeld, CLAIM_HELD_MESSAGE, lostClaim } from '../postClaim';
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
  const { etag } = stored;
  const record = input.preRestoreBackup ? { ...stored.record, preRestoreBackup: input.preRestoreBackup } : stored.record;
  if (record.operationToken || record.state !== 'running') return { status: 'started', token: record.operationToken, pollIntervalMs };

  const target = resolveInstance(services.config, record.targetId, 'target');
  if (record.startedAt) {
    // Our POST went out but its outcome was not recorded (its answer was lost, or the activity died after it): a
    // busy target is running our restore. Adopt it; never POST a second restore for one record.
    const snapshot = await services.apim.getService(target.ref);
    if (isBusy(snapshot.provisioningState)) return { status: 'started', pollIntervalMs };
    // A fresh mark: a concurrent execution of this step may be sending its POST right now.
    if (claimHeld(record.startedAt, services.clock.now())) return { status: 'busy', message: CLAIM_HELD_MESSAGE, retryAfterMs: ANSWER_LOST_RETRY_MS };
  }
  const access = target.protected?.access ?? services.config.defaults.access;
  const startedAt = services.clock.now().toISOString();
  let marked: string | false;
  try {
    marked = await services.restores.write({ ...record, startedAt }, etag);
  } catch (err) {
    // Another execution marked the record first: it sends the POST.
    if (lostClaim(err)) return { status: 'busy', message: CLAIM_HELD_MESSAGE, retryAfterMs: ANSWER_LOST_RETRY_MS };
    throw err;
  }
  const started = await services.apim.start('restore', target.ref, backupParameters(services.config.storage, services.settings, access, record.backupName!));
  if (started.status === 'unanswered') {
    // ARM may have taken our POST: the mark stays, so the next attempt adopts what runs on the target.
    return { status: 'busy', message: started.message, retryAfterMs: ANSWER_LOST_RETRY_MS };
  }
  if (started.status === 'busy') {
    // 409 to a POST that was answered: not ours (ours are never resent), so the mark goes and the wait begins.
    await services.restores.write({ ...record, startedAt: undefined }, marked || undefined);
    return { status: 'busy', message: started.message, retryAfterMs: BUSY_RETRY_MS };
  }
  // ARM refused the POST itself (bad parameters, …): nothing runs; the orchestrator records the failure with ARM's code.
  if (started.status === 'rejected') return { status: 'refused', code: started.code, message: started.message };
  await services.restores.write({ ...record, startedAt, operationToken: started.token }, marked || undefined);
  services.logger.event('apim-dr.restore.started', restoreEventProperties(record));
  return { status: 'started', token: started.token, pollIntervalMs, retryAfterMs: started.retryAfterMs };
}
