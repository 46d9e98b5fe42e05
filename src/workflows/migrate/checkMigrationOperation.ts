/** Activity: one status check of a running migration (one ARM GET, fresh token). */
import { resolveInstance } from '../../config/resolveService';
import { isMigrated } from '../../domain/migration';
import { isBusy } from '../../domain/provisioningState';
import type { Services } from '../../services';
import type { MigrationOutcome } from './types';
import { checkOrUnreachable } from '../operation';
import { checkOperationToken } from '../checkOperationToken';

export async function checkMigrationOperation(services: Services, input: { recordName: string; token?: string }): Promise<MigrationOutcome> {
  // An outage is not an outcome: the monitor keeps the operation and asks again later.
  return checkOrUnreachable(() => check(services, input));
}

async function check(services: Services, input: { recordName: string; token?: string }): Promise<MigrationOutcome> {
  const record = (await services.migrations.read(input.recordName))?.record;
  if (!record) throw new Error(`migration record '${input.recordName}' vanished while the migration ran`);
  const instance = resolveInstance(services.config, record.serviceId, 'service');
  const token = input.token ?? record.operationToken;
  const answer = token ? await checkOperationToken(services, 'migrate', instance.ref, token, input.recordName) : undefined;
  if (answer && answer.status !== 'unknown') return answer;
  // No answer from ARM about the operation (adopted, its result expired, unreadable, or not to be had): done when
  // the instance is no longer busy, and a success only if it left stv1.
  const snapshot = await services.apim.getService(instance.ref);
  if (isBusy(snapshot.provisioningState)) return { status: 'running' };
  if (isMigrated(snapshot.platformVersion)) return { status: 'succeeded' };
  return {
    status: 'failed',
    code: 'NotMigrated',
    message: `the operation apim-dr waited for on '${record.service}' has ended and the instance is still on ${snapshot.platformVersion}: it was another operation, or the migration failed and ARM reverted it; check the activity log, then migrate again`,
  };
}

export interface MigrationState {
  startedAt?: string;
  preMigrationBackup?: string;
}

/** Activity: what reconciliation needs from a migration record: whether its POST went out, and its way back. */
export async function migrationState(services: Services, recordName: string): Promise<MigrationState> {
  const record = (await services.migrations.read(recordName))?.record;
  return { startedAt: record?.startedAt, preMigrationBackup: record?.preMigrationBackup?.backupName };
}
