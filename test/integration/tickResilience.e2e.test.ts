/** The schedule tick sends its starts a bounded number at a time, and one instance that cannot be started stops nothing else. */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { canonicalServiceId } from '../../src/domain/resourceId';
import { SANDBOX_SUBSCRIPTION } from '../../dev/sandbox/startSandbox';
import type { SandboxServiceSpec } from '../../dev/sandbox/model';
import { runScheduleTick } from '../../src/workflows/schedule/runScheduleTick';
import type { OrchestrationStarter } from '../../src/workflows/starter';
import { startHarness, type Harness } from '../support/harness';

const specs: SandboxServiceSpec[] = Array.from({ length: 12 }, (_, i) => ({
  subscriptionId: SANDBOX_SUBSCRIPTION,
  resourceGroup: 'rg-fleet',
  name: `tick-${i}`,
  location: 'West Europe',
  sku: { name: 'Standard', capacity: 1 },
}));

/** A Durable client that takes a few milliseconds per start, fails every start of `broken`, and counts starts in flight. */
function flakyStarter(broken: string) {
  const stats = { inFlight: 0, most: 0, started: [] as string[] };
  const starter: OrchestrationStarter = {
    async start(_name, instanceId) {
      stats.inFlight += 1;
      stats.most = Math.max(stats.most, stats.inFlight);
      try {
        await sleep(5);
        if (instanceId.includes(`-${broken}-`)) throw Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
        stats.started.push(instanceId);
        return { started: true };
      } finally {
        stats.inFlight -= 1;
      }
    },
    status: () => Promise.resolve(undefined),
    running: () => Promise.resolve([]),
    raiseEvent: () => Promise.resolve(),
  };
  return { starter, stats };
}

describe('the schedule tick at fleet scale', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('starts at most startConcurrency at once, records the one that fails, and still finishes its work and its log line', async () => {
    h = await startHarness({
      services: specs,
      config: (sandbox) => ({
        ...sandbox.config(),
        defaults: { startConcurrency: 3, concurrencyPerSubscription: 50 },
        services: specs.map((s) => ({ id: canonicalServiceId(s.subscriptionId, s.resourceGroup, s.name) })),
      }),
    });
    const { starter, stats } = flakyStarter('tick-7');

    const result = await runScheduleTick(h.services, starter, 'tick-test');

    expect(result.due).toBe(12);
    expect(result.failed).toEqual(['tick-7']);
    expect(result.started).toHaveLength(11);
    expect(stats.started).toHaveLength(11);
    expect(stats.most).toBe(3);
    const failure = h.logs.find((l) => l['event'] === 'apim-dr.schedule.start-failed');
    expect(failure).toMatchObject({ service: 'tick-7', error: 'read ECONNRESET' });
    expect(h.logs.find((l) => l['event'] === 'apim-dr.schedule.tick')).toMatchObject({ started: 11, failed: ['tick-7'] });

    // Nothing was backed up by the fake client, so the failed instance is due again at the next tick, with the rest.
    const again = await runScheduleTick(h.services, flakyStarter('none').starter, 'tick-test-2');
    expect(again.started).toContain('tick-7');
    expect(again.failed).toEqual([]);
  });
});
