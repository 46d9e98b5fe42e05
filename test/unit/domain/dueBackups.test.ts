import { describe, expect, it } from 'vitest';
import { applyConcurrencyLimit, planDueBackups, type LastAttempt, type ScheduledService } from '../../../src/domain/dueBackups';

const service = (name: string, subscriptionId = 'sub-a', schedule = '0 0 2 * * *'): ScheduledService => ({
  id: `/x/${name}`,
  name,
  subscriptionId,
  schedule,
  enabled: true,
});
const HOUR = 3_600_000;

describe('planning scheduled backups', () => {
  const now = new Date('2026-06-10T02:03:00Z');

  it('makes an instance due once its schedule has fired since its newest backup', () => {
    const newest = new Map<string, LastAttempt>([['a', { createdAt: new Date('2026-06-09T02:00:05Z'), state: 'succeeded' }]]);
    expect(planDueBackups([service('a')], newest, now, HOUR).map((d) => [d.service.name, d.reason])).toEqual([['a', 'schedule']]);
  });

  it('does not start another while this occurrence is already covered', () => {
    const newest = new Map<string, LastAttempt>([['a', { createdAt: new Date('2026-06-10T02:00:01Z'), state: 'running' }]]);
    expect(planDueBackups([service('a')], newest, now, HOUR)).toEqual([]);
  });

  it('backs up an instance that has never been backed up', () => {
    expect(planDueBackups([service('new')], new Map(), now, HOUR)[0]?.reason).toBe('never-backed-up');
  });

  it('retries a failed backup only after the retry interval', () => {
    // The 02:00 backup failed at 02:01; the next occurrence is tomorrow.
    const failed = new Map<string, LastAttempt>([['a', { createdAt: new Date('2026-06-10T02:01:00Z'), state: 'failed' }]]);
    expect(planDueBackups([service('a')], failed, new Date('2026-06-10T02:30:00Z'), 30 * 60_000)).toEqual([]);
    expect(planDueBackups([service('a')], failed, new Date('2026-06-10T02:31:00Z'), 30 * 60_000)[0]?.reason).toBe('retry-after-failure');
  });

  it('catches up a missed tick on the next one', () => {
    const newest = new Map<string, LastAttempt>([['a', { createdAt: new Date('2026-06-08T02:00:00Z'), state: 'succeeded' }]]);
    expect(planDueBackups([service('a')], newest, now, HOUR)).toHaveLength(1);
  });

  it('skips disabled instances', () => {
    expect(planDueBackups([{ ...service('a'), enabled: false }], new Map(), now, HOUR)).toEqual([]);
  });

  it('starts at most the limit per subscription, counting backups already running', () => {
    const due = planDueBackups([service('a1'), service('a2'), service('a3'), service('b1', 'sub-b')], new Map(), now, HOUR);
    const chosen = applyConcurrencyLimit(due, new Map([['sub-a', 1]]), 2);
    expect(chosen.map((d) => d.service.name).sort()).toEqual(['a1', 'b1']);
  });
});
