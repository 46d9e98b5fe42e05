/** An orchestration input that claims to be a rollback, as a hostile caller of the Durable HTTP API would write it. */
import type { RestoreRequest } from '../../src/workflows/restore/types';

export function forgedRollback(serviceId: string, backup: string, extra: Partial<RestoreRequest> = {}): RestoreRequest {
  return {
    sourceId: serviceId,
    targetId: serviceId,
    backup,
    purpose: 'rollback',
    allowInPlace: false,
    preRestoreBackup: false,
    requestedBy: 'mallory',
    correlationId: 'forged',
    ...extra,
  };
}
