/** Activity: one status check of a running restore (one ARM GET, fresh token). */
import { resolveInstance } from '../../config/resolveService';
import { isBusy } from '../../domain/provisioningState';
import type { Services } from '../../services';
import type { CheckOutcome } from '../backup/types';
import { checkOrUnreachable } from '../operation';
import { checkOperationToken } from '../checkOperationToken';

/** A restore leaves no artifact to tell ours from someone else's, so unlike a backup it is never 'lost'. */
export type RestoreOutcome = Exclude<CheckOutcome, { status: 'lost' }>;

export async function checkRestoreOperation(services: Services, input: { recordName: string; token?: string }): Promise<RestoreOutcome> {
  // An outage is not an outcome: the monitor keeps the operation and asks again later.
  return checkOrUnreachable(() => check(services, input));
}

async function check(services: Services, input: { recordName: string; token?: string }): Promise<RestoreOutcome> {
  const record = (await services.restores.read(input.recordName))?.record;
  if (!record) throw new Error(`restore record '${input.recordName}' vanished while the restore ran`);
  const target = resolveInstance(services.config, record.targetId, 'target');
  const token = input.token ?? record.operationToken;
  const answer = token ? await checkOperationToken(services, 'restore', target.ref, token, input.recordName) : undefined;
  if (answer && answer.status !== 'unknown') return answer;
  // No answer from ARM about the operation (adopted without a token, its result expired, unreadable, or not to be
  // had): done when the target is no longer busy; verification judges the result.
  const snapshot = await services.apim.getService(target.ref);
  return isBusy(snapshot.provisioningState) ? { status: 'running' } : { status: 'succeeded' };
}
