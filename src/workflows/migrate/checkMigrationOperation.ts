/** Activity: one status check of a running migration (one ARM GET, fresh token). */
import { resolveInstance } from '../../config/resolveService';
import type { Services } from '../../services';
import type { MigrationOutcome } from './types';

export async function checkMigrationOperation(services: Services, input: { recordName: string; token?: string }): Promise<MigrationOutcome> {
  const record = (await services.migrations.read(input.recordName))?.record;
  if (!record) throw new Error(`migration record '${input.recordName}' vanished while the migration ran`);
  const instance = resolveInstance(services.config, record.serviceId, 'service');
  const token = input.token ?? record.operationToken;
  if (token) return services.apim.check('migrate', instance.ref, token);
  // Adopted (its answer was lost): done when the instance is no longer busy; verification judges the platform.
  const snapshot = await services.apim.getService(instance.ref);
  return snapshot.provisioningState === 'Updating' ? { status: 'running' } : { status: 'succeeded' };
}
