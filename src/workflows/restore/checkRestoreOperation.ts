/** Activity: one status check of a running restore (one ARM GET, fresh token). */
import { resolveInstance } from '../../config/resolveService';
import type { Services } from '../../services';
import type { CheckOutcome } from '../backup/types';
import { checkOrUnreachable } from '../operation';
import { askOperation } from '../askOperation';

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
  // Done when the target is no longer busy; verification judges the result.
  const asked = { kind: 'restore' as const, ref: target.ref, token: input.token ?? record.operationToken, source: input.recordName };
  return askOperation(services, asked, () => ({ status: 'succeeded' as const }));
}
