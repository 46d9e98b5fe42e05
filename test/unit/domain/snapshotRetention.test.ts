import { describe, expect, it } from 'vitest';
import { planSnapshotRetention } from '../../../src/domain/snapshot/snapshotRetention';

const DAY = 86_400_000;
const entry = (daysAgo: number) => ({ snapshotName: `s${daysAgo}`, takenAt: new Date(Date.parse('2026-06-01T00:00:00Z') - daysAgo * DAY).toISOString() });
const now = new Date('2026-06-01T00:00:00Z');

describe('snapshot retention', () => {
  it('retires snapshots older than the retention beyond the newest kept', () => {
    expect(planSnapshotRetention([entry(1), entry(100), entry(95), entry(10)], now, 90 * DAY, 2)).toEqual(['s95', 's100']);
  });

  it('keeps the newest ones however old they are', () => {
    expect(planSnapshotRetention([entry(400), entry(300)], now, 90 * DAY, 2)).toEqual([]);
  });

  it('keeps snapshots older than 30 days: a snapshot has no APIM restore window', () => {
    expect(planSnapshotRetention([entry(0), entry(31), entry(60), entry(89)], now, 90 * DAY, 1)).toEqual([]);
  });

  it('keeps the newest whole snapshots however many scoped ones were taken since', () => {
    const scoped = (daysAgo: number) => ({ ...entry(daysAgo), snapshotName: `part${daysAgo}`, scoped: true });
    const entries = [entry(200), entry(150), entry(120), scoped(95), scoped(94), scoped(1), scoped(0)];
    expect(planSnapshotRetention(entries, now, 90 * DAY, 2)).toEqual(['part94', 'part95', 's200']);
  });

  it('retires a scoped snapshot past the retention even when it is the newest there is', () => {
    const entries = [{ ...entry(91), snapshotName: 'part91', scoped: true }, entry(300)];
    expect(planSnapshotRetention(entries, now, 90 * DAY, 10)).toEqual(['part91']);
  });
});
