import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/loadConfig';
import type { ApprovalRecord } from '../../../src/domain/approvalRecord';
import { migrationProblem, restoreProblem } from '../../../src/workflows/approval/requestRules';

const id = (name: string) => `/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.ApiManagement/service/${name}`;
const PRIMARY = id('prod');
const STANDBY = id('standby');
const storage = { account: 'backupacct', container: 'apim-backups' };
const withStandby = parseConfig({ storage, services: [{ id: PRIMARY, standbys: [{ id: STANDBY }] }] });
const withoutStandby = parseConfig({ storage, services: [{ id: PRIMARY }, { id: STANDBY }] });

function recorded(input: Record<string, unknown>, extra: Partial<ApprovalRecord> = {}): ApprovalRecord {
  return {
    schemaVersion: 1,
    recordName: 'approvals/restore-standby-00000000.20260301T000000Z.0001234.json',
    operationId: 'restore-standby-00000000',
    kind: 'restore',
    input,
    confirm: 'standby',
    requestedBy: 'alice',
    requestedAt: '2026-03-01T00:00:00.000Z',
    via: 'http',
    state: 'not-needed',
    ...extra,
  };
}

const restore = { sourceId: PRIMARY, targetId: STANDBY, purpose: 'restore', allowInPlace: false, preRestoreBackup: false };

describe('a recorded request, checked again against the config when its orchestration runs', () => {
  it('passes a standby restore while the standby is configured, needing no approval', () => {
    expect(restoreProblem(withStandby, recorded(restore))).toEqual({ approvalReason: undefined });
  });

  it('refuses it once the config no longer names the target as a standby', () => {
    expect(restoreProblem(withoutStandby, recorded(restore))).toMatchObject({ code: 'NotAStandby' });
  });

  it('refuses an in-place restore without consent, and one whose confirmation named something else', () => {
    const inPlace = { ...restore, targetId: PRIMARY };
    expect(restoreProblem(withStandby, recorded(inPlace, { confirm: 'prod' }))).toMatchObject({ code: 'InPlaceNotAllowed' });
    expect(restoreProblem(withStandby, recorded(restore, { confirm: 'prod' }))).toMatchObject({ code: 'NotConfirmed' });
  });

  it('decides again that an in-place restore needs a second person', () => {
    const inPlace = { ...restore, targetId: PRIMARY, allowInPlace: true, preRestoreBackup: true };
    expect(restoreProblem(withStandby, recorded(inPlace, { confirm: 'prod' }))).toEqual({
      approvalReason: expect.stringContaining("protected instance 'prod'"),
    });
  });

  it('refuses a purpose the recording edge may not ask for: no sync from HTTP, no operator restore from the schedule', () => {
    expect(restoreProblem(withStandby, recorded({ ...restore, purpose: 'sync' }))).toMatchObject({ code: 'PurposeNotAllowed' });
    expect(restoreProblem(withStandby, recorded(restore, { via: 'schedule' }))).toMatchObject({ code: 'PurposeNotAllowed' });
  });

  it('refuses an instance the config no longer names', () => {
    expect(restoreProblem(withStandby, recorded({ ...restore, sourceId: id('gone') }))).toMatchObject({ code: 'ServiceNotConfigured' });
  });

  it('checks a migration’s confirmation and decides its approval', () => {
    const migration = recorded({ kind: 'in-place', serviceId: PRIMARY }, { kind: 'migration', confirm: 'prod' });
    expect(migrationProblem(withStandby, migration)).toEqual({ approvalReason: expect.stringContaining('cannot be undone') });
    expect(migrationProblem(withStandby, { ...migration, confirm: 'standby' })).toMatchObject({ code: 'NotConfirmed' });
  });
});
