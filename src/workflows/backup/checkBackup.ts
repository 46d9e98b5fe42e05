/** Activity: one status check of a running backup (one ARM GET), with a fresh token from the credential. */
import { resolveService } from '../../config/resolveService';
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
  if (token) return checkOperationToken(services, 'backup', service.ref, token, input.backupName);

  // Adopted operation (its token was lost with a crashed activity): judge by the instance and the blob.
  const snapshot = await services.apim.getService(service.ref);
  if (snapshot.provisioningState === 'Updating') return { status: 'running' };
  const size = await services.catalog.backupBlobSize(input.backupName);
  // Idle with no blob: whatever ran was not our backup, so the orchestrator starts it again.
  return size ? { status: 'succeeded' } : { status: 'lost' };
}
