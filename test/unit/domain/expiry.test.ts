import { describe, expect, it } from 'vitest';
import { expiresAt, isExpired, isRestorable, newestRestorable, restoreRefusal, type ExpiringBackup } from '../../../src/domain/expiry';

const HOUR = 3_600_000;
const created = new Date('2026-01-01T00:00:00Z');
const backup = (over: Partial<ExpiringBackup> = {}): ExpiringBackup => ({
  backupName: 'apim.20260101T000000Z.scheduled.apimbackup',
  state: 'succeeded',
  createdAt: created.toISOString(),
  expiresAt: expiresAt(created).toISOString(),
  ...over,
});

describe('the 30-day restore window', () => {
  it('expires exactly 30 days after creation', () => {
    expect(expiresAt(created).toISOString()).toBe('2026-01-31T00:00:00.000Z');
    expect(isExpired(backup(), new Date('2026-01-30T23:59:59.999Z'))).toBe(false);
    expect(isExpired(backup(), new Date('2026-01-31T00:00:00.000Z'))).toBe(true);
  });

  it('stops offering a backup for restore inside the safety margin', () => {
    expect(isRestorable(backup(), new Date('2026-01-30T21:59:59Z'), 2 * HOUR)).toBe(true);
    expect(isRestorable(backup(), new Date('2026-01-30T22:00:00Z'), 2 * HOUR)).toBe(false);
  });

  it('refuses an expired backup, saying when it was created and expired, and offers the newest restorable one', () => {
    const newer = backup({
      backupName: 'apim.20260125T000000Z.scheduled.apimbackup',
      createdAt: '2026-01-25T00:00:00.000Z',
      expiresAt: '2026-02-24T00:00:00.000Z',
    });
    const refusal = restoreRefusal(backup(), new Date('2026-02-02T00:00:00Z'), 2 * HOUR, newer);
    expect(refusal?.code).toBe('BackupExpired');
    expect(refusal?.message).toContain('created 2026-01-01T00:00:00.000Z and expired 2026-01-31T00:00:00.000Z');
    expect(refusal?.message).toContain("newest restorable backup is 'apim.20260125T000000Z.scheduled.apimbackup'");
  });

  it('refuses a backup about to expire, with the time left', () => {
    const refusal = restoreRefusal(backup(), new Date('2026-01-30T23:00:00Z'), 2 * HOUR);
    expect(refusal?.code).toBe('BackupExpiringSoon');
    expect(refusal?.message).toContain('in 1h: less than the 2h safety margin');
    expect(refusal?.message).toContain('no restorable backup of this instance');
  });

  it('refuses failed, running and archived backups, and allows a restorable one', () => {
    const now = new Date('2026-01-10T00:00:00Z');
    expect(restoreRefusal(backup({ state: 'failed' }), now, HOUR)?.code).toBe('BackupNotSucceeded');
    expect(restoreRefusal(backup({ state: 'running' }), now, HOUR)?.code).toBe('BackupNotSucceeded');
    expect(restoreRefusal(backup({ archivedAt: '2026-01-05T00:00:00Z' }), now, HOUR)?.code).toBe('BackupArchived');
    expect(restoreRefusal(backup(), now, HOUR)).toBeUndefined();
  });

  it('picks the newest restorable backup from a newest-first list', () => {
    const list = [backup({ backupName: 'failed', state: 'failed' }), backup({ backupName: 'ok' }), backup({ backupName: 'older' })];
    expect(newestRestorable(list, new Date('2026-01-02T00:00:00Z'), HOUR)?.backupName).toBe('ok');
  });
});
