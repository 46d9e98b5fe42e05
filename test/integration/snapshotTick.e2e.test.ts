import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OrchestrationStarter } from '../../src/workflows/starter';
import { runSnapshotTick } from '../../src/workflows/snapshot/snapshotTick';
import { takeSnapshot } from '../../src/workflows/snapshot/takeSnapshot';
import { startHarness, type Harness } from '../support/harness';
import { V2, V2_SERVICES, v2SnapshotConfig } from '../support/v2Fleet';

/** Records what the tick asks to start (the port the Functions host or the local host supplies). */
function recordingStarter(): OrchestrationStarter & { started: { name: string; instanceId: string; input: unknown }[] } {
  const started: { name: string; instanceId: string; input: unknown }[] = [];
  return {
    started,
    start: (name, instanceId, input) => {
      started.push({ name, instanceId, input });
      return Promise.resolve({ started: true });
    },
    status: () => Promise.resolve(undefined),
    running: () => Promise.resolve([]),
    raiseEvent: () => Promise.resolve(),
  };
}

describe('the snapshot tick', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({
      services: V2_SERVICES,
      config: (sandbox) => v2SnapshotConfig(sandbox, { rpo: 'PT6H', snapshots: { afterChange: false } }),
    });
  });
  afterEach(async () => {
    await h.close();
  });

  it('starts a snapshot ahead of the RPO and warns once the newest is older than it', async () => {
    await takeSnapshot(h.services, { serviceId: V2, trigger: 'manual', requestedBy: 'test' });
    const early = recordingStarter();
    await h.clock.advance(3 * 3_600_000);
    expect((await runSnapshotTick(h.services, early)).started).toEqual([]);

    await h.clock.advance(3 * 3_600_000 - 5 * 60_000);
    const due = recordingStarter();
    expect((await runSnapshotTick(h.services, due)).started).toEqual([V2]);
    expect(due.started[0]).toMatchObject({ name: 'snapshotOrchestrator', input: { trigger: 'scheduled' } });
    expect(h.logs.filter((l) => l['event'] === 'apim-dr.snapshot.rpo.breach')).toEqual([]);

    await h.clock.advance(10 * 60_000);
    await runSnapshotTick(h.services, recordingStarter());
    expect(h.logs.filter((l) => l['event'] === 'apim-dr.snapshot.rpo.breach').map((l) => l['service'])).toEqual([V2]);
  });
});
