/** Restore records as someone other than apim-dr would write them (mallory), for the tests of issue 25's attacks. */
import type { RestoreRecord } from '../../src/domain/restoreRecord';

export function forgedRestoreRecord(
  fields: Pick<RestoreRecord, 'recordName' | 'source' | 'target' | 'targetId' | 'backupName' | 'state'>,
  at: Date,
  extra: Partial<RestoreRecord> = {},
): RestoreRecord {
  return {
    schemaVersion: 1,
    requestedBy: 'mallory',
    correlationId: 'forged',
    owner: 'forged',
    purpose: 'sync',
    requestedAt: at.toISOString(),
    findings: [],
    ...fields,
    ...extra,
  };
}
