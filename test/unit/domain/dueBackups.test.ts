import { describe, expect, it } from 'vitest';
import { applyConcurrencyLimit, planDueBackups, type InstanceHistory, type LastAttempt, type ScheduledService } from '../../../src/domain/dueBackups';

const HOUR = 3_600_000;
const MINUTE = 60_000;
const service = (name: string, subscriptionId = 'sub-a', schedule: string | undefined = '0 0 2 * * *', rpoMs = 26 * HOUR): ScheduledService => ({
  id: `/x/${name}`,
  name,
  subscriptionId,
  schedule,
  rpoMs,
  enabled: true,
});
const policy = (retryFailedAfterMs = HOUR) => ({ retryFailedAfterMs, retryAtStakeMs: 5 * MINUTE });
/** One instance's history; the newest attempt is also the newest restorable backup when it succeeded. */
const history = (last: LastAttempt, newestRestorableAt?: Date, leadMs = 50 * MINUTE): Map<string, InstanceHistory> =>
  new Map([['a', { last, newestRestorableAt: newestRestorableAt ?? (last.state === 'succeeded' ? last.createdAt : undefined), leadMs }]]);
const at = (iso: string) => new Date(iso);

describe('planning scheduled backups', () => {
  const now = at('2026-06-10T02:03:00Z');

  it('makes an instance due once its schedule has fired since its newest backup', () => {
    const h = history({ createdAt: at('2026-06-09T02:00:05Z'), state: 'succeeded' });
    expect(planDueBackups([service('a')], h, now, policy()).map((d) => [d.service.name, d.reason])).toEqual([['a', 'schedule']]);
  });

  it('does not start another while this occurrence is already covered', () => {
    const h = history({ createdAt: at('2026-06-10T02:00:01Z'), state: 'running' }, at('2026-06-09T02:00:00Z'));
    expect(planDueBackups([service('a')], h, now, policy())).toEqual([]);
  });

  it('counts a backup that started up to a lead before the occurrence for it', () => {
    const h = history({ createdAt: at('2026-06-10T01:20:00Z'), state: 'succeeded' });
    expect(planDueBackups([service('a')], h, now, policy())).toEqual([]);
  });

  it('backs up an instance that has never been backed up', () => {
    expect(planDueBackups([service('new')], new Map(), now, policy())[0]?.reason).toBe('never-backed-up');
  });

  it('retries a failed backup only after the retry interval when the RPO is not at stake', () => {
    // The 02:00 backup failed at 02:01; yesterday's holds the 26-hour RPO until 04:00 tomorrow... minus the lead.
    const h = history({ createdAt: at('2026-06-10T02:01:00Z'), state: 'failed' }, at('2026-06-09T02:00:00Z'), 10 * MINUTE);
    expect(planDueBackups([service('a')], h, at('2026-06-10T02:30:00Z'), policy(30 * MINUTE))).toEqual([]);
    expect(planDueBackups([service('a')], h, at('2026-06-10T02:31:00Z'), policy(30 * MINUTE))[0]?.reason).toBe('retry-after-failure');
  });

  it('catches up a missed tick on the next one', () => {
    const h = history({ createdAt: at('2026-06-08T02:00:00Z'), state: 'succeeded' });
    expect(planDueBackups([service('a')], h, now, policy())).toHaveLength(1);
  });

  it('skips disabled instances', () => {
    expect(planDueBackups([{ ...service('a'), enabled: false }], new Map(), now, policy())).toEqual([]);
  });

  it('starts at most the limit per subscription, counting backups already running', () => {
    const due = planDueBackups([service('a1'), service('a2'), service('a3'), service('b1', 'sub-b')], new Map(), now, policy());
    const chosen = applyConcurrencyLimit(due, new Map([['sub-a', 1]]), 2);
    expect(chosen.map((d) => d.service.name).sort()).toEqual(['a1', 'b1']);
  });
});

describe('planning from the RPO', () => {
  // Every 6 hours with a 6-hour RPO: the schedule alone cannot hold it once a backup takes time.
  const six = service('a', 'sub-a', '0 0 */6 * * *', 6 * HOUR);

  it('starts a backup a lead before the RPO deadline, ahead of the schedule', () => {
    const h = history({ createdAt: at('2026-06-10T06:00:00Z'), state: 'succeeded' }, undefined, 50 * MINUTE);
    // Deadline 12:00; the lead is 50 minutes: due from 11:10, not before.
    expect(planDueBackups([six], h, at('2026-06-10T11:09:00Z'), policy())).toEqual([]);
    expect(planDueBackups([six], h, at('2026-06-10T11:10:00Z'), policy()).map((d) => d.reason)).toEqual(['rpo']);
  });

  it('retries a failure at once while the RPO can still be held, and falls back to the retry interval once it is lost', () => {
    const failed = (createdAt: string) => history({ createdAt: at(createdAt), state: 'failed' }, at('2026-06-10T06:00:00Z'), 50 * MINUTE);
    expect(planDueBackups([six], failed('2026-06-10T11:10:00Z'), at('2026-06-10T11:30:00Z'), policy()).map((d) => d.reason)).toEqual(['rpo-retry']);
    // Failed again 11:45; at 12:01 the RPO is already lost: the retry waits the retry interval (the sweep renews too).
    expect(planDueBackups([six], failed('2026-06-10T11:45:00Z'), at('2026-06-10T12:01:00Z'), policy())).toEqual([]);
    expect(planDueBackups([six], failed('2026-06-10T11:45:00Z'), at('2026-06-10T12:45:00Z'), policy()).map((d) => d.reason)).toEqual(['retry-after-failure']);
  });

  it('does not start another while an attempt since the newest restorable backup runs', () => {
    const h = history({ createdAt: at('2026-06-10T11:10:00Z'), state: 'running' }, at('2026-06-10T06:00:00Z'), 50 * MINUTE);
    expect(planDueBackups([six], h, at('2026-06-10T11:40:00Z'), policy())).toEqual([]);
  });

  it('plans from the RPO alone when there is no schedule', () => {
    const rpoOnly = { ...service('a', 'sub-a', undefined, 4 * HOUR), schedule: undefined };
    const h = history({ createdAt: at('2026-06-10T06:00:00Z'), state: 'succeeded' }, undefined, 30 * MINUTE);
    expect(planDueBackups([rpoOnly], h, at('2026-06-10T09:29:00Z'), policy())).toEqual([]);
    expect(planDueBackups([rpoOnly], h, at('2026-06-10T09:30:00Z'), policy()).map((d) => d.reason)).toEqual(['rpo']);
    expect(planDueBackups([rpoOnly], new Map(), at('2026-06-10T09:30:00Z'), policy()).map((d) => d.reason)).toEqual(['never-backed-up']);
  });

  it('backs up when nothing is restorable any more, unless an attempt failed too recently', () => {
    const now = at('2026-06-10T02:03:00Z');
    const expired = history({ createdAt: at('2026-05-01T02:00:00Z'), state: 'succeeded' }, undefined);
    expired.get('a')!.newestRestorableAt = undefined;
    expect(planDueBackups([{ ...service('a'), schedule: undefined }], expired, now, policy()).map((d) => d.reason)).toEqual(['rpo']);
    const failing = history({ createdAt: at('2026-06-10T02:00:00Z'), state: 'failed' }, undefined);
    expect(planDueBackups([{ ...service('a'), schedule: undefined }], failing, now, policy())).toEqual([]);
  });
});
