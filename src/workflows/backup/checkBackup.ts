/** Activity: one status check of a running backup (one ARM GET), with a fresh token from the credential. */
import { resolveService } from '../../config/resolveService';
import type { Services } from '../../services';
import type { CheckBackupInput, CheckOutcome } from './types';
import { checkOrUnreachable } from '../operation';
import { askOperation } from '../askOperation';

export async function checkBackup(services: Services, input: CheckBackupInput): Promise<CheckOutcome> {
  // An outage is not an outcome: the monitor keeps the operation and asks again later.
  return checkOrUnreachable(() => check(services, input));
}

async function check(services: Services, input: CheckBackupInput): Promise<CheckOutcome> {
  const service = resolveService(services.config, input.serviceId);
  const token = input.token ?? (await services.catalog.read(input.backupName))?.manifest.operationToken;
  return askOperation(services, { kind: 'backup', ref: service.ref, token, source: input.backupName }, async (_idle, unknown) => {
    if (await services.catalog.backupBlobSize(input.backupName)) return { status: 'succeeded' as const };
    // Idle with no blob. Ours ran and did not write it: failed, with why ARM could not say so itself. Adopted: whatever
    // ran was not our backup, so the orchestrator starts it again.
    return unknown
      ? { status: 'failed' as const, code: unknown.code, message: `${unknown.message}; the instance is idle and '${input.backupName}' was never written` }
      : { status: 'lost' as const };
  });
}
