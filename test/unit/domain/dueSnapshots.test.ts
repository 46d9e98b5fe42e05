import { describe, expect, it } from 'vitest';
import { planDueSnapshots, type SnapshotProtected } from '../../../src/domain/dueSnapshots';

const HOUR = 3_600_000;
const now = new Date('2026-03-01T12:02:00Z');
const at = (iso: string) => Date.parse(iso);
const service = (over: Partial<SnapshotProtected> = {}): SnapshotProtected => ({
  name: 'v2',
  rpoMs: 24 * HOUR,
  afterChange: false,
  quietMs: 5 * 60_000,
  ...over,
});

describe('due snapshots', () => {
  it('takes the first snapshot at once', () => {
    expect(planDueSnapshots([service()], new Map(), new Map(), now, 5 * 60_000)).toMatchObject([{ name: 'v2', reason: 'no snapshot yet' }]);
  });

  it('follows the schedule since the newest snapshot', () => {
    const newest = new Map([['v2', at('2026-03-01T06:00:00Z')]]);
    expect(planDueSnapshots([service({ schedule: '0 0 */6 * * *' })], newest, new Map(), now, 5 * 60_000)).toMatchObject([{ trigger: 'scheduled' }]);
    expect(planDueSnapshots([service({ schedule: '0 0 0 * * *' })], newest, new Map(), now, 5 * 60_000)).toEqual([]);
  });

  it('holds the RPO without a schedule, two ticks ahead', () => {
    const newest = new Map([['v2', now.getTime() - 24 * HOUR + 9 * 60_000]]);
    expect(planDueSnapshots([service()], newest, new Map(), now, 5 * 60_000)).toMatchObject([{ reason: 'the RPO would be exceeded' }]);
  });

  it('takes one after a burst of changes has been quiet, only with afterChange', () => {
    const newest = new Map([['v2', at('2026-03-01T11:00:00Z')]]);
    const changes = new Map([['v2', { lastAt: '2026-03-01T11:55:00Z' }]]);
    expect(planDueSnapshots([service({ afterChange: true })], newest, changes, now, 5 * 60_000)).toMatchObject([{ trigger: 'event' }]);
    expect(planDueSnapshots([service()], newest, changes, now, 5 * 60_000)).toEqual([]);
    const busy = new Map([['v2', { lastAt: '2026-03-01T12:00:00Z' }]]);
    expect(planDueSnapshots([service({ afterChange: true })], newest, busy, now, 5 * 60_000)).toEqual([]);
  });
});
