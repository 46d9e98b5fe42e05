import { describe, expect, it } from 'vitest';
import { completionWindow, nextCheckInMs, type CompletionWindow } from '../../../src/domain/pollPlan';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;

/** Checks an operation of `durationMs` gets under the plan, and how long after it ends the first check sees it. */
function follow(durationMs: number, pollMs: number, window?: CompletionWindow): { checks: number; lagMs: number } {
  let at = 0;
  let checks = 0;
  while (at < durationMs) {
    at += nextCheckInMs(at, pollMs, window);
    checks += 1;
  }
  return { checks, lagMs: at - durationMs };
}

describe('poll plan', () => {
  it('takes the window from the shortest and longest earlier durations, 10% either side', () => {
    expect(completionWindow([20 * MINUTE, 18 * MINUTE, 19 * MINUTE])).toEqual({ fromMs: 16.2 * MINUTE, toMs: 22 * MINUTE });
    expect(completionWindow([])).toBeUndefined();
    expect(completionWindow([0, -5])).toBeUndefined();
  });

  it('polls at the configured interval without history, and after the window', () => {
    for (const at of [0, 10 * MINUTE, 90 * MINUTE]) expect(nextCheckInMs(at, 30 * SECOND)).toBe(30 * SECOND);
    expect(nextCheckInMs(25 * MINUTE, 30 * SECOND, { fromMs: 16 * MINUTE, toMs: 22 * MINUTE })).toBe(30 * SECOND);
  });

  it('is sparse before the window, landing on its start, and dense inside it', () => {
    const window = { fromMs: 16 * MINUTE, toMs: 22 * MINUTE };
    expect(nextCheckInMs(0, 30 * SECOND, window)).toBe(2 * MINUTE);
    expect(nextCheckInMs(15 * MINUTE, 30 * SECOND, window)).toBe(1 * MINUTE);
    // 44 checks to 22 minutes at 30 s, 8 of them spent before 16 minutes: 36 over 6 minutes, 10 s apart.
    expect(nextCheckInMs(17 * MINUTE, 30 * SECOND, window)).toBe(10 * SECOND);
    // A narrow window is never polled closer than a quarter interval (in whole seconds).
    expect(nextCheckInMs(20 * MINUTE, 30 * SECOND, { fromMs: 19.9 * MINUTE, toMs: 20.1 * MINUTE })).toBe(8 * SECOND);
  });

  it('never makes more than two checks beyond polling at the interval, whenever the operation ends', () => {
    const pollMs = MINUTE;
    const windows = [
      { fromMs: 27 * MINUTE, toMs: 66 * MINUTE },
      { fromMs: 16 * MINUTE, toMs: 22 * MINUTE },
      { fromMs: 40 * MINUTE, toMs: 41 * MINUTE },
      { fromMs: 2 * MINUTE, toMs: 3 * MINUTE },
    ];
    for (const window of windows) {
      for (let durationMs = 7 * SECOND; durationMs < 3 * window.toMs; durationMs += 13 * SECOND) {
        const atInterval = Math.ceil(durationMs / pollMs);
        expect(follow(durationMs, pollMs, window).checks, `${durationMs} ms in ${JSON.stringify(window)}`).toBeLessThanOrEqual(atInterval + 2);
      }
    }
  });

  it('sees operations that end inside the window sooner than polling at the interval does', () => {
    const pollMs = MINUTE;
    const window = { fromMs: 27 * MINUTE, toMs: 66 * MINUTE };
    const lags: number[] = [];
    const baseline: number[] = [];
    for (let durationMs = window.fromMs + 7 * SECOND; durationMs < window.toMs; durationMs += 11 * SECOND) {
      lags.push(follow(durationMs, pollMs, window).lagMs);
      baseline.push(Math.ceil(durationMs / pollMs) * pollMs - durationMs);
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(baseline)).toBeGreaterThan(25 * SECOND);
    expect(mean(lags)).toBeLessThan(mean(baseline) * 0.75);
    expect(Math.max(...lags)).toBeLessThanOrEqual(pollMs);
  });
});
