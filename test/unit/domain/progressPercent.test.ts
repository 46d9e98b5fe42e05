import { describe, expect, it } from 'vitest';
import { progressPercent } from '../../../src/domain/progressPercent';

describe('progressPercent', () => {
  it('is the share of the expected duration that has passed', () => {
    expect(progressPercent(15 * 60_000, 60 * 60_000)).toBe(25);
  });

  it('holds at 99 past the expected duration, until the operation has settled', () => {
    expect(progressPercent(3 * 60 * 60_000, 60 * 60_000)).toBe(99);
  });

  it('never goes below zero when the clock reads before the start', () => {
    expect(progressPercent(-5_000, 60_000)).toBe(0);
  });
});
