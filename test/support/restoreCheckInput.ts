/** The restore check's input for one backup of `source` (taken 10 hours before `now`) into `target`, with `over` changed. */
import type { CompatibilityInput } from '../../src/domain/compatibility';
import { expiresAt } from '../../src/domain/expiry';
import type { ServiceSnapshot } from '../../src/domain/service';

export const CHECK_NOW = new Date('2026-05-10T12:00:00Z');
export const BACKUP_CREATED = new Date('2026-05-10T02:00:00Z');

export function restoreCheckInput(source: ServiceSnapshot, target: ServiceSnapshot, over: Partial<CompatibilityInput> = {}): CompatibilityInput {
  return {
    backup: {
      backupName: 'apim-weu.20260510T020000Z.scheduled.apimbackup',
      state: 'succeeded',
      createdAt: BACKUP_CREATED.toISOString(),
      expiresAt: expiresAt(BACKUP_CREATED).toISOString(),
      source,
      blobSize: 4096,
    },
    target,
    targetWorkspaceGateways: 0,
    access: { type: 'SystemAssignedManagedIdentity' },
    targetIsStandby: true,
    allowInPlace: false,
    now: CHECK_NOW,
    restoreMarginMs: 2 * 3_600_000,
    ...over,
  };
}
