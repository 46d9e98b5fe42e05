import { describe, expect, it } from 'vitest';
import { expiresAt } from '../../../src/domain/expiry';
import { isWork, planExpirySweep, sweepDueAt, sweepHorizon, widenHorizon, type SweepCandidate, type SweepPolicy } from '../../../src/domain/sweepPlan';

const DAY = 86_400_000;
const policy: SweepPolicy = { retentionMs: 30 * DAY, expiredAction: 'delete', refusalBackoffMs: 7 * DAY };
const now = new Date('2026-03-01T00:00:00Z');

function entry(service: string, daysAgo: number, over: Partial<SweepCandidate> = {}): SweepCandidate {
  const created = new Date(now.getTime() - daysAgo * DAY);
  return {
    backupName: `${service}.${daysAgo}d`,
    service,
    state: 'succeeded',
    createdAt: created.toISOString(),
    expiresAt: expiresAt(created).toISOString(),
    ...over,
  };
}

const decisions = (entries: SweepCandidate[], p: SweepPolicy = policy) => planExpirySweep(entries, now, p).map((i) => [i.backupName, i.action, i.reason]);

describe('planning the expiry sweep', () => {
  it('deletes expired backups and keeps restorable ones', () => {
    expect(decisions([entry('a', 1), entry('a', 30), entry('a', 45)])).toEqual([
      ['a.1d', 'keep', 'restorable'],
      ['a.30d', 'delete', 'expired'],
      ['a.45d', 'delete', 'expired'],
    ]);
  });

  it('keeps the newest succeeded backup past a shorter retention while it is still restorable', () => {
    const short = { ...policy, retentionMs: 7 * DAY };
    expect(decisions([entry('a', 10), entry('a', 12), entry('a', 5, { state: 'failed' })], short)).toEqual([
      ['a.10d', 'keep', 'newest-restorable'],
      ['a.12d', 'delete', 'past-retention'],
      ['a.5d', 'keep', 'restorable'],
    ]);
  });

  it('does not protect an expired backup, even the only one', () => {
    expect(decisions([entry('a', 31)])).toEqual([['a.31d', 'delete', 'expired']]);
  });

  it('archives instead of deleting when asked, and marks the kept record expired', () => {
    const items = planExpirySweep([entry('a', 31)], now, { ...policy, expiredAction: 'archive' });
    expect(items).toEqual([expect.objectContaining({ action: 'archive', reason: 'expired', markExpired: true })]);
    expect(decisions([entry('a', 40, { state: 'expired', archivedAt: '2026-02-10T00:00:00Z' })], { ...policy, expiredAction: 'archive' })).toEqual([
      ['a.40d', 'keep', 'archived'],
    ]);
  });

  it('leaves running backups alone and removes old failed records', () => {
    expect(decisions([entry('a', 1, { state: 'running' }), entry('a', 31, { backupName: 'f', state: 'failed' })])).toEqual([
      ['a.1d', 'keep', 'running'],
      ['f', 'delete', 'failed'],
    ]);
  });

  it('removes a record still running after 30 days: no operation runs that long, its orchestration was lost', () => {
    expect(decisions([entry('a', 31, { state: 'running' })])).toEqual([['a.31d', 'delete', 'stale-running']]);
  });

  it('does not try again for a week after storage refused a delete', () => {
    const refused = (daysAgo: number) => entry('a', 40, { refusedAt: new Date(now.getTime() - daysAgo * DAY).toISOString() });
    expect(decisions([refused(1)])).toEqual([['a.40d', 'keep', 'delete-refused']]);
    expect(decisions([refused(8)])).toEqual([['a.40d', 'delete', 'expired']]);
  });

  it('judges each instance on its own backups', () => {
    const short = { ...policy, retentionMs: 7 * DAY };
    expect(decisions([entry('a', 10), entry('b', 9), entry('b', 10)], short)).toEqual([
      ['a.10d', 'keep', 'newest-restorable'],
      ['b.9d', 'keep', 'newest-restorable'],
      ['b.10d', 'delete', 'past-retention'],
    ]);
  });

  it('has no work for an instance until its sweep horizon is due, whatever its entries', () => {
    // A deterministic walk over many catalogs: states, ages, archives, refusals and retentions mixed.
    let seed = 7;
    const next = (n: number) => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) % n;
    const states = ['running', 'succeeded', 'failed', 'expired'] as const;
    let quiet = 0;
    for (let run = 0; run < 2_000; run++) {
      const p = { ...policy, retentionMs: [7, 30, 90][next(3)]! * DAY, expiredAction: next(2) ? ('delete' as const) : ('archive' as const) };
      const entries = Array.from({ length: 1 + next(6) }, (_, i) =>
        entry('a', next(50) + i / 10, {
          state: states[next(4)]!,
          ...(next(5) === 0 ? { archivedAt: now.toISOString() } : {}),
          ...(next(6) === 0 ? { refusedAt: new Date(now.getTime() - next(10) * DAY).toISOString() } : {}),
        }),
      );
      const work = planExpirySweep(entries, now, p).filter(isWork);
      if (now.getTime() < sweepDueAt(sweepHorizon(entries), p.retentionMs)) {
        quiet += 1;
        expect(work).toEqual([]);
      }
    }
    // The walk must reach both sides, or it shows nothing.
    expect(quiet).toBeGreaterThan(100);
    expect(quiet).toBeLessThan(1_900);
  });

  it('leaves an archived backup marked expired out of the horizon: the sweep never acts on it again', () => {
    const archived = entry('a', 40, { state: 'expired', archivedAt: now.toISOString() });
    expect(sweepHorizon([archived])).toBeNull();
    expect(sweepDueAt(null, policy.retentionMs)).toBe(Infinity);
    expect(planExpirySweep([archived], now, { ...policy, expiredAction: 'archive' }).map((i) => [i.action, i.markExpired])).toEqual([['keep', false]]);
    const young = entry('a', 2);
    expect(widenHorizon(sweepHorizon([archived]), young)).toEqual({ createdAt: young.createdAt, expiresAt: young.expiresAt });
    expect(sweepDueAt(sweepHorizon([young, entry('a', 5)]), policy.retentionMs)).toBe(now.getTime() + 25 * DAY);
  });
});
