/** Activity: one status check of a running backup (one ARM GET), with a fresh token from the credential. */
import { resolveService } from '../../config/resolveService';
import { isBusy } from '../../domain/provisioningState';
import type { Services } from '../../services';
import type { CheckBackupInput, CheckOutcome } from './types';
import { checkOrUnreachable } from '../operation';
import { checkOperationToken } from '../checkOperationToken';

export async function checkBackup(services: Services, input: CheckBackupInput): Promise<CheckOutcome> {
  // An outage is not an outcome: the monitor keeps the operation and asks again later.
  return checkOrUnreachable(() => check(services, input));
}

async function check(services: Services, input: CheckBackupInput): Promise<CheckOutcome> {
  const service = resolveService(services.config, input.serviceId);
  const token = input.token ?? (await services.catalog.read(input.backupName))?.manifest.operationToken;
  const answer = token ? await checkOperationToken(services, 'backup', service.ref, token, input.backupName) : undefined;
  if (answer && answer.status !== 'unknown') return answer;

  // No answer from ARM about the operation (adopted without a token, its result expired, unreadable, or not to be
  // had): judge by the instance and the blob.
  const snapshot = await services.apim.getService(service.ref);
  if (isBusy(snapshot.provisioningState)) return { status: 'running' };
  const size = await services.catalog.backupBlobSize(input.backupName);
  if (size) return { status: 'succeeded' };
  // Idle with no blob. Ours ran and did not write it: failed, with why ARM could not say so itself. Adopted: whatever
  // ran was not our backup, so the orchestrator starts it again.
  return answer
    ? { status: 'failed', code: answer.code, message: `${answer.message}; the instance is idle and '${input.backupName}' was never written` }
    : { status: 'lost' };
}
