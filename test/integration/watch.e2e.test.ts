import { afterEach, describe, expect, it } from 'vitest';
import type { RequestRecord } from '../../dev/sandbox/ApimSandbox';
import { runToCompletion, startHarness, type Harness } from '../support/harness';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const WEU = 'contoso-apim-weu';

describe('watching an operation until it ends', () => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
  });

  const thirtySecondPoll = { config: (s: Harness['sandbox']) => s.config({ defaults: { pollInterval: 'PT30S' } }) };
  const checksOf = (from: number) => h.sandbox.apim.requests.slice(from).filter((r: RequestRecord) => r.kind === 'operation.get' && r.service === WEU);

  it('keeps every history of a 20-minute backup at a 30 s poll under 100 events, with one status check per poll', async () => {
    h = await startHarness({ durationMs: () => 20 * MINUTE, ...thirtySecondPoll });
    const response = await h.api('POST', '/api/backups', { service: WEU });
    const instance = await runToCompletion(h, response.body.id);
    expect((instance.output as { state: string }).state).toBe('succeeded');

    const family = [...h.host.engine.instances.values()].filter((i) => i.instanceId.startsWith(response.body.id));
    const watch = family.find((i) => i.name === 'watchOrchestrator')!;
    // 40 polls in executions of 10: the watch started a fresh history three times.
    expect(watch.generation).toBeGreaterThanOrEqual(4);
    for (const i of family) expect(i.peakHistory, i.instanceId).toBeLessThanOrEqual(100);
    expect(checksOf(0).length).toBeLessThanOrEqual(20 * 2 + 1);
  });

  it('checks the next backup densely where the last ones finished: seen sooner, with no more checks', async () => {
    // Three backups of 18-20 minutes, then one of 19 min 7 s: at a 30 s poll, seen 23 s late after 39 checks.
    const durations = [18 * MINUTE, 20 * MINUTE, 19 * MINUTE, 19 * MINUTE + 7 * SECOND];
    let n = 0;
    h = await startHarness({ durationMs: () => durations[n]!, ...thirtySecondPoll });
    for (; n < 3; n++) {
      const earlier = await h.api('POST', '/api/backups', { service: WEU });
      await runToCompletion(h, earlier.body.id);
      await h.clock.advance(60 * MINUTE);
    }
    const from = h.sandbox.apim.requests.length;
    const response = await h.api('POST', '/api/backups', { service: WEU });
    await h.clock.advance(10 * MINUTE);
    // The operation's status shows the watch's progress against the median of the earlier backups: 19 minutes, and
    // the few seconds each took to be seen.
    const followed = await h.api('GET', `/api/operations/${response.body.id}`);
    expect(followed.body.customStatus).toMatchObject({ phase: 'running', percent: expect.any(Number) });
    expect(followed.body.customStatus.expectedMs).toBeGreaterThanOrEqual(19 * MINUTE);
    expect(followed.body.customStatus.expectedMs).toBeLessThan(19 * MINUTE + 30 * SECOND);
    expect(followed.body.customStatus.percent).toBeGreaterThanOrEqual(40);
    expect(followed.body.customStatus.percent).toBeLessThanOrEqual(60);
    await runToCompletion(h, response.body.id);

    const posted = h.sandbox.apim.requests.slice(from).find((r) => r.kind === 'backup.post')!;
    const endsAt = posted.at + durations[3]!;
    const checks = checksOf(from);
    const lagMs = checks.find((r) => r.at >= endsAt)!.at - endsAt;
    expect(checks.length).toBeLessThanOrEqual(Math.ceil(durations[3]! / (30 * SECOND)));
    expect(lagMs).toBeLessThan(15 * SECOND);
  });
});
