import { describe, expect, it } from 'vitest';
import type { RestoreRecord } from '../../../src/domain/restoreRecord';
import { standbySync } from '../../../src/domain/standbySync';

const standby = { service: 'apim-neu', sync: 'manual' };
const record = (state: RestoreRecord['state'], backupName: string, source = 'apim-weu'): RestoreRecord => ({
  schemaVersion: 1,
  recordName: `restores/apim-neu.${backupName}.json`,
  source,
  target: 'apim-neu',
  targetId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ApiManagement/service/apim-neu',
  purpose: 'restore',
  backupName,
  requestedBy: 'test',
  correlationId: 'c',
  owner: 'o',
  requestedAt: '2026-03-02T00:00:00.000Z',
  state,
  findings: [],
  rtoMs: state === 'succeeded' ? 600_000 : undefined,
});

describe('standbySync', () => {
  const newest = { createdAt: '2026-03-02T06:00:00.000Z' };

  it('is never-restored until a restore into it succeeds', () => {
    expect(standbySync(standby, 'apim-weu', newest, [])).toMatchObject({ state: 'never-restored', lagMs: undefined });
    expect(standbySync(standby, 'apim-weu', newest, [record('refused', 'apim-weu.20260302T060000Z.scheduled.apimbackup')]).state).toBe('never-restored');
  });

  it("is diverged once another instance's backup was restored into it, naming what it holds and since when", () => {
    const other = { ...record('succeeded', 'apim-other.20260302T060000Z.scheduled.apimbackup', 'apim-other'), completedAt: '2026-03-02T07:00:00.000Z' };
    expect(standbySync(standby, 'apim-weu', newest, [other])).toMatchObject({
      state: 'diverged',
      lagMs: undefined,
      holds: { backupName: 'apim-other.20260302T060000Z.scheduled.apimbackup', source: 'apim-other', since: '2026-03-02T07:00:00.000Z' },
    });
  });

  it('is diverged after a rollback, however in sync it was, until a restore from the primary brings it back', () => {
    const fromPrimary = record('succeeded', 'apim-weu.20260302T060000Z.scheduled.apimbackup');
    const rollback: RestoreRecord = {
      ...record('succeeded', 'apim-neu.20260302T065900Z.pre-restore.apimbackup', 'apim-neu'),
      purpose: 'rollback',
      completedAt: '2026-03-02T08:00:00.000Z',
    };
    expect(standbySync(standby, 'apim-weu', newest, [fromPrimary]).state).toBe('in-sync');
    expect(standbySync(standby, 'apim-weu', newest, [rollback, fromPrimary])).toMatchObject({
      state: 'diverged',
      holds: { backupName: 'apim-neu.20260302T065900Z.pre-restore.apimbackup', source: 'apim-neu', purpose: 'rollback', since: '2026-03-02T08:00:00.000Z' },
      lastRestore: { purpose: 'rollback', state: 'succeeded' },
    });
    const again = record('succeeded', 'apim-weu.20260302T060000Z.scheduled.apimbackup');
    expect(standbySync(standby, 'apim-weu', newest, [again, rollback, fromPrimary])).toMatchObject({ state: 'in-sync', lagMs: 0 });
    expect(standbySync(standby, 'apim-weu', newest, [again, rollback, fromPrimary]).holds).toBeUndefined();
  });

  it('measures the lag from the restored backup to the newest restorable one', () => {
    const sync = standbySync(standby, 'apim-weu', newest, [record('succeeded', 'apim-weu.20260302T020000Z.scheduled.apimbackup')]);
    expect(sync).toMatchObject({ state: 'behind', lagMs: 4 * 3_600_000, lastRestore: { state: 'succeeded', rtoMs: 600_000 } });
    expect(standbySync(standby, 'apim-weu', newest, [record('succeeded', 'apim-weu.20260302T060000Z.scheduled.apimbackup')])).toMatchObject({
      state: 'in-sync',
      lagMs: 0,
    });
  });

  it('says a restore is running or the last one failed, keeping the lag of the last good one', () => {
    const good = record('succeeded', 'apim-weu.20260302T020000Z.scheduled.apimbackup');
    expect(standbySync(standby, 'apim-weu', newest, [record('running', 'apim-weu.20260302T060000Z.scheduled.apimbackup'), good])).toMatchObject({
      state: 'restoring',
      lagMs: 4 * 3_600_000,
    });
    expect(standbySync(standby, 'apim-weu', newest, [record('failed', 'apim-weu.20260302T060000Z.scheduled.apimbackup'), good]).state).toBe('failed');
  });
});
