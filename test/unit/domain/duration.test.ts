import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../../src/domain/duration';

describe('ISO 8601 durations', () => {
  it.each([
    ['PT5M', 300_000],
    ['PT30S', 30_000],
    ['P1D', 86_400_000],
    ['P1DT12H', 129_600_000],
    ['P2W', 1_209_600_000],
    ['PT0.5S', 500],
  ])('parses %s', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['P1Y', 'P1M', '5m', 'P', 'PT', '', 'PT-5M'])('refuses %j', (text) => expect(parseDuration(text)).toBeUndefined());

  it('formats for people', () => {
    expect(formatDuration(129_600_000 + 61_000)).toBe('1d 12h 1m 1s');
    expect(formatDuration(0)).toBe('0s');
  });
});
