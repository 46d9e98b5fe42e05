import { describe, expect, it } from 'vitest';
import { expiresAt } from '../../../src/domain/expiry';
import { assessProtection } from '../../../src/domain/protection';

const DAY = 86_400_000;
const policy = { rpoMs: DAY, renewBeforeMs: 7 * DAY, restoreMarginMs: 2 * 3_600_000 };
const now = new Date('2026-03-01T00:00:00Z');
const backup = (hoursAgo: number, state: 'succeeded' | 'failed' = 'succeeded') => {
  const created = new Date(now.getTime() - hoursAgo * 3_600_000);
  return { backupName: `b${hoursAgo}`, state, createdAt: created.toISOString(), expiresAt: expiresAt(created).toISOString() };
};

describe('instance protection', () => {
  it('is protected with a recent restorable backup', () => {
    expect(assessProtection('a', [backup(3)], now, policy)).toMatchObject({ restorable: true, rpoBreached: false, renew: undefined, ageMs: 3 * 3_600_000 });
  });

  it('breaches the RPO when the newest restorable backup is older than it, and asks for a renewal', () => {
    expect(assessProtection('a', [backup(2, 'failed'), backup(30)], now, policy)).toMatchObject({
      restorable: true,
      rpoBreached: true,
      renew: 'older-than-rpo',
    });
  });

  it('renews a backup that expires within renewBefore even inside the RPO', () => {
    expect(assessProtection('a', [backup(24 * 24)], now, { ...policy, rpoMs: 40 * DAY })).toMatchObject({ rpoBreached: false, renew: 'expiring-soon' });
  });

  it('has no restorable backup when every backup failed or expired', () => {
    expect(assessProtection('a', [backup(1, 'failed'), backup(24 * 31)], now, policy)).toEqual({
      service: 'a',
      restorable: false,
      rpoBreached: true,
      renew: 'no-restorable-backup',
    });
  });
});
