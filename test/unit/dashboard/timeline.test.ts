import { describe, expect, it } from 'vitest';
import { timeline } from '../../../src/dashboard/timeline';
import { timelineDays, type DashboardView } from '../../../src/workflows/status/dashboardView';

const NOW = '2026-03-10T12:00:00.000Z';

function withDays(days: DashboardView['instances'][number]['timeline']): [DashboardView['instances'][number], DashboardView] {
  const instance = {
    service: 'apim',
    id: '/subscriptions/s/resourceGroups/rg/x',
    protection: 'protected',
    reasons: [],
    rpoMs: 1,
    standbys: [],
    timeline: days,
  } as never;
  const view = { at: NOW, timelineStart: '2026-02-03T12:00:00.000Z', restoreWindowStart: '2026-02-08T12:00:00.000Z', instances: [instance] } as never;
  return [instance, view];
}

/** Each drawn segment's state, day, top and height. */
const segments = (svg: string) =>
  [...svg.matchAll(/data-state="(\w+)" data-day="([\d-]+)" x="[\d.]+" y="([\d.]+)" width="[\d.]+" height="([\d.]+)"/g)].map((m) => ({
    state: m[1],
    day: m[2],
    y: Number(m[3]),
    height: Number(m[4]),
  }));

describe('the dashboard timeline', () => {
  it('draws a column per day, a failure above the day’s successes and tall enough to see among 23 of them', () => {
    const svg = timeline(...withDays([{ day: '2026-03-09', succeeded: 23, expired: 0, failed: 1, running: 0 }]));
    const [failed, succeeded] = segments(svg);
    expect(failed).toMatchObject({ state: 'failed', day: '2026-03-09' });
    expect(succeeded).toMatchObject({ state: 'succeeded', day: '2026-03-09' });
    expect(failed!.y + failed!.height).toBeCloseTo(succeeded!.y, 1);
    expect(failed!.height).toBeGreaterThanOrEqual(4);
    expect(svg).toContain('23 succeeded, 1 failed');
  });

  it('puts each day in its own column, left to right in time', () => {
    const svg = timeline(
      ...withDays([
        { day: '2026-02-05', succeeded: 0, expired: 1, failed: 0, running: 0 },
        { day: '2026-03-10', succeeded: 0, expired: 0, failed: 0, running: 1 },
      ]),
    );
    const xs = [...svg.matchAll(/data-day="([\d-]+)" x="([\d.]+)"/g)].map((m) => [m[1], Number(m[2])] as const);
    const x = Object.fromEntries(xs);
    expect(x['2026-02-05']).toBeLessThan(x['2026-03-10']);
    // 36 columns across 300 units: the first day's column starts at its left edge.
    expect(x['2026-02-05']).toBeCloseTo((2 * 300) / 36 + 0.1 * (300 / 36), 1);
  });

  it('shows a day’s successes as expired once its newest success has expired', () => {
    const day = (iso: string) => ({ succeeded: 2, failed: 0, newestSuccessAt: iso });
    const days = timelineDays(
      { '2026-02-01': day('2026-02-01T20:00:00.000Z'), '2026-02-08': day('2026-02-08T20:00:00.000Z') },
      { '2026-03-10': 1 },
      '2026-02-03',
      Date.parse(NOW),
    );
    expect(days).toEqual([
      { day: '2026-02-08', succeeded: 2, expired: 0, failed: 0, running: 0 },
      { day: '2026-03-10', succeeded: 0, expired: 0, failed: 0, running: 1 },
    ]);
    const old = timelineDays({ '2026-02-05': day('2026-02-05T20:00:00.000Z') }, {}, '2026-02-03', Date.parse(NOW));
    expect(old).toEqual([{ day: '2026-02-05', succeeded: 0, expired: 2, failed: 0, running: 0 }]);
  });
});
