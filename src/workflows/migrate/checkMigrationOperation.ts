/** Activity: one status check of a running migration (one ARM GET, fresh token). */
import { resolveInstance } from '../../config/resolveService';
import { isMigrated } from '../../domain/migration';
import type { Services } from '../../services';
import type { MigrationOutcome } from './types';
import { checkOrUnreachable } from '../operation';
import { askOperation } from '../askOperation';

export async function checkMigrationOperation(services: Services, input: { recordName: string; token?: string }): Promise<MigrationOutcome> {
  // An outage is not an outcome: the monitor keeps the operation and asks again later.
  return checkOrUnreachable(() => check(services, input));
}

async function check(services: Services, input: { recordName: string; token?: string }): Promise<MigrationOutcome> {
  const record = (await services.migrations.read(input.recordName))?.record;
  if (!record) throw new Error(`migration record '${input.recordName}' vanished while the migration ran`);
  const instance = resolveInstance(services.config, record.serviceId, 'service');
  // Done when the instance is no longer busy, and a success only if it left stv1.
  const asked = { kind: 'migrate' as const, ref: instance.ref, token: input.token ?? record.operationToken, source: input.recordName };
  return askOperation(services, asked, (snapshot) =>
    isMigrated(snapshot.platformVersion)
      ? { status: 'succeeded' as const }
      : {
          status: 'failed' as const,
          code: 'NotMigrated',
          message: `the operation apim-dr waited for on '${record.service}' has ended and the instance is still on ${snapshot.platformVersion}: it was another operation, or the migration failed and ARM reverted it; check the activity log, then migrate again`,
        },
  );
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
