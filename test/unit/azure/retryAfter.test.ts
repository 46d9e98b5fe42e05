import { describe, expect, it } from 'vitest';
import { retryAfterMs } from '../../../src/azure/retryAfter';

const now = Date.parse('2026-05-10T12:00:00Z');

describe('retryAfterMs', () => {
  it('reads delay-seconds', () => {
    expect(retryAfterMs('30', now)).toBe(30_000);
    expect(retryAfterMs('0', now)).toBe(0);
  });

  it('reads an HTTP date against the injected clock, not the wall clock', () => {
    expect(retryAfterMs('Sun, 10 May 2026 12:02:00 GMT', now)).toBe(120_000);
  });

  it('treats a date already past as no wait', () => {
    expect(retryAfterMs('Sun, 10 May 2026 11:00:00 GMT', now)).toBe(0);
  });

  it('is undefined when the header is absent, negative or unreadable', () => {
    for (const header of [undefined, '', '-5', 'soon']) expect(retryAfterMs(header, now), String(header)).toBeUndefined();
  });
});
