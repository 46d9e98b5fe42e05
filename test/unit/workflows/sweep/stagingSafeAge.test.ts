import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { activityBoundMs, FUNCTION_TIMEOUT_MS } from '../../../../src/workflows/operation';
import { STAGING_SAFE_AGE_MS } from '../../../../src/workflows/sweep/sweepStaging';

describe('the safe age of staged runs', () => {
  it("is derived from host.json's function timeout and the activity retry policy", () => {
    const host = JSON.parse(readFileSync(join(__dirname, '../../../../host.json'), 'utf8')) as { functionTimeout: string };
    const [h, m, s] = host.functionTimeout.split(':').map(Number);
    expect(FUNCTION_TIMEOUT_MS).toBe(((h! * 60 + m!) * 60 + s!) * 1000);
    expect(activityBoundMs()).toBe(5 * 10 * 60_000 + (5 + 10 + 20 + 40) * 1000);
    expect(STAGING_SAFE_AGE_MS).toBe(2 * activityBoundMs());
  });
});
