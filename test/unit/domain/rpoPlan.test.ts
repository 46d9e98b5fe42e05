import { describe, expect, it } from 'vitest';
import { backupDurations, DEFAULT_BACKUP_MS, rpoLeadMs, scheduleIntervalMs, scheduleRpoProblem } from '../../../src/domain/rpoPlan';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('RPO planning', () => {
  it('takes the median and p95 of the recent successes, newest first, and defaults without history', () => {
    const start = Date.parse('2026-06-01T00:00:00Z');
    // Durations 11..30 minutes, newest first: the newest ten are 21..30.
    const entries = Array.from({ length: 20 }, (_, i) => ({
      state: 'succeeded',
      createdAt: new Date(start + i * HOUR).toISOString(),
      completedAt: new Date(start + i * HOUR + (11 + i) * MINUTE).toISOString(),
    })).reverse();
    expect(backupDurations([{ state: 'failed', createdAt: entries[0]!.createdAt }, ...entries])).toEqual({
      medianMs: 25 * MINUTE,
      p95Ms: 30 * MINUTE,
      samples: 10,
    });
    expect(backupDurations([])).toEqual({ medianMs: DEFAULT_BACKUP_MS, p95Ms: DEFAULT_BACKUP_MS, samples: 0 });
  });

  it('leads by an attempt and a retry, each a p95 long and up to a tick late', () => {
    expect(rpoLeadMs({ medianMs: 15 * MINUTE, p95Ms: 20 * MINUTE, samples: 5 }, 5 * MINUTE)).toBe(50 * MINUTE);
  });

  it('measures the longest gap of a schedule over a week', () => {
    expect(scheduleIntervalMs('0 0 */6 * * *', new Date('2026-06-10T01:00:00Z'))).toBe(6 * HOUR);
    // Weekdays at 02:00: Friday to Monday is the longest gap.
    expect(scheduleIntervalMs('0 0 2 * * 1-5', new Date('2026-06-10T01:00:00Z'))).toBe(72 * HOUR);
  });

  it('warns when interval plus the expected duration exceeds the RPO, naming both and the fix', () => {
    const stats = { medianMs: 15 * MINUTE, p95Ms: 20 * MINUTE, samples: 8 };
    const problem = scheduleRpoProblem('0 0 2 * * *', 24 * HOUR, stats, new Date('2026-06-10T00:00:00Z'));
    expect(problem).toContain("schedule '0 0 2 * * *' leaves up to 1d between backups");
    expect(problem).toContain('20m (p95 of 8)');
    expect(problem).toContain('RPO of 1d');
    expect(problem).toMatch(/run it at least every 23h 20m or raise the RPO to 1d 40m/);
    expect(scheduleRpoProblem('0 0 */6 * * *', 24 * HOUR, stats, new Date('2026-06-10T00:00:00Z'))).toBeUndefined();
  });
});
