import { describe, expect, it } from 'vitest';
import { dailyOutcomesOf, daysFrom, recordOutcome, unionOutcomes, type DailyOutcomes } from '../../../src/domain/dailyOutcomes';

const at = (day: string, time = '10:00:00') => `${day}T${time}.000Z`;

describe('daily outcomes', () => {
  it('counts a listing per UTC day: an expired backup as a success, a running one not at all', () => {
    expect(
      dailyOutcomesOf([
        { createdAt: at('2026-03-01'), state: 'succeeded' },
        { createdAt: at('2026-03-01', '23:59:59'), state: 'expired' },
        { createdAt: at('2026-03-01'), state: 'failed' },
        { createdAt: at('2026-03-02'), state: 'running' },
      ]),
    ).toEqual({ '2026-03-01': { succeeded: 2, failed: 1, newestSuccessAt: at('2026-03-01', '23:59:59') } });
  });

  it('counts a backup once as it settles, however often its outcome is recorded', () => {
    const days: DailyOutcomes = {};
    const running = { createdAt: at('2026-03-01'), state: 'running' as const };
    const settled = { ...running, state: 'succeeded' as const };
    recordOutcome(days, undefined, running);
    expect(days).toEqual({});
    recordOutcome(days, running, settled);
    recordOutcome(days, settled, settled);
    expect(days['2026-03-01']).toEqual({ succeeded: 1, failed: 0, newestSuccessAt: at('2026-03-01') });
    // Marked expired by the sweep: still the day's success.
    recordOutcome(days, settled, { ...settled, state: 'expired' });
    expect(days['2026-03-01']?.succeeded).toBe(1);
  });

  it('moves a backup between outcomes instead of counting it twice', () => {
    const days: DailyOutcomes = {};
    const failed = { createdAt: at('2026-03-01'), state: 'failed' as const };
    recordOutcome(days, undefined, failed);
    recordOutcome(days, failed, { ...failed, state: 'succeeded' });
    expect(days['2026-03-01']).toMatchObject({ succeeded: 1, failed: 0 });
  });

  it('keeps only the days shown, and unions two writers by the larger count', () => {
    const ours: DailyOutcomes = { '2026-02-01': { succeeded: 1, failed: 0 }, '2026-03-01': { succeeded: 3, failed: 0, newestSuccessAt: at('2026-03-01') } };
    expect(Object.keys(daysFrom(ours, '2026-02-15'))).toEqual(['2026-03-01']);
    const theirs: DailyOutcomes = { '2026-03-01': { succeeded: 2, failed: 1, newestSuccessAt: at('2026-03-01', '11:00:00') } };
    expect(unionOutcomes(ours, theirs)['2026-03-01']).toEqual({ succeeded: 3, failed: 1, newestSuccessAt: at('2026-03-01', '11:00:00') });
  });
});
