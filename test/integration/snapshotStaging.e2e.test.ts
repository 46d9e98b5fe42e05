import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { snapshotInstanceId } from '../../src/workflows/snapshot/names';
import { STAGING_SAFE_AGE_MS, sweepStaging, taskHubLiveness } from '../../src/workflows/sweep/sweepStaging';
import type { Services } from '../../src/services';
import { seedFullConfiguration } from '../support/configSeed';
import { engineStarter } from '../support/engineStarter';
import { runToCompletion, startHarness, sweepNow, type Harness } from '../support/harness';
import { idOf, V2, V2_SERVICES, v2Config } from '../support/v2Fleet';

const MINUTE = 60_000;

describe('the daily sweep and the staging of snapshot runs that died', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ services: V2_SERVICES, config: v2Config });
    seedFullConfiguration(h.sandbox.apim.service(V2), { apis: 2, operations: 2 });
  });
  afterEach(async () => {
    await h.close();
  });

  const staged = async (prefix = '') => {
    const names: string[] = [];
    for await (const blob of h.services.snapshots.container.listBlobsFlat({ prefix: `${prefix}` })) {
      if (blob.name.startsWith('snapshot-staging/') || blob.name.startsWith('apply-staging/')) names.push(blob.name);
    }
    return names.sort();
  };
  /** A take whose part for tags is refused `times` times: its other parts of the first batch are staged. */
  const takeRefusingTags = async (times: number) => {
    h.sandbox.apim.faults.add({
      method: 'GET',
      path: new RegExp(`/service/${V2}/tags$`),
      fault: { kind: 'status', status: 400, code: 'InvalidParameters', message: 'refused' },
      times,
    });
    const response = await h.api('POST', '/api/snapshots', { service: V2 });
    expect(response.status).toBe(202);
    return response.body.id as string;
  };
  const put = async (name: string, tags?: Record<string, string>) => {
    await h.services.snapshots.container.getBlockBlobClient(name).upload('{}', 2, tags ? { tags } : {});
  };
  /** The same services, as the sweep sees them `ms` later (the engine's orchestrations where they are now). */
  const later = (ms: number): Services => ({ ...h.services, clock: { now: () => new Date(h.clock.now().getTime() + ms), sleep: h.clock.sleep.bind(h.clock) } });

  it("removes a failed take's parts once older than the safe age, only what apim-dr wrote, and reports them", async () => {
    const id = await takeRefusingTags(100);
    expect((await runToCompletion(h, id)).runtimeStatus).toBe('Failed');
    h.sandbox.apim.faults.clear();
    const left = await staged();
    expect(left.length).toBeGreaterThanOrEqual(3);
    const run = left[0]!.split('/')[1]!;
    expect(run.startsWith(`${snapshotInstanceId(V2, idOf(V2))}.`)).toBe(true);
    // Not apim-dr's: untagged in the dead run's folder, untagged elsewhere, tagged for another run, tagged without a time.
    const foreign = [`snapshot-staging/${run}/9999.json`, 'snapshot-staging/someone-else/notes.json', 'apply-staging/readme.txt'];
    for (const name of foreign) await put(name);
    await put(`snapshot-staging/${run}/8888.json`, { apimdr: 'staging', run: 'another-run.1772323200000', writtenAt: '2026-03-01T00:00:00.000Z' });
    await put('apply-staging/copied.1772323200000/plan.json', { apimdr: 'staging', run: 'copied.1772323200000' });
    foreign.push(`snapshot-staging/${run}/8888.json`, 'apply-staging/copied.1772323200000/plan.json');

    // Younger than the safe age: kept, though its run has failed.
    await h.clock.advance(STAGING_SAFE_AGE_MS - 10 * MINUTE);
    const early = await sweepNow(h);
    expect(early.staging?.removed).toEqual([]);
    expect(early.staging?.kept).toEqual([{ folder: `snapshot-staging/${run}/`, reason: 'recent' }]);
    expect(await staged()).toEqual(left.concat(foreign).sort());

    // A dry run says what would go and removes nothing.
    await h.clock.advance(20 * MINUTE);
    const dry = await sweepNow(h, true);
    expect(dry.staging?.removed).toEqual([{ folder: `snapshot-staging/${run}/`, blobs: left.length, newestWrite: expect.any(String) }]);
    expect(await staged()).toEqual(left.concat(foreign).sort());

    const report = await sweepNow(h);
    expect(report.staging?.removed).toEqual([{ folder: `snapshot-staging/${run}/`, blobs: left.length, newestWrite: expect.any(String) }]);
    expect(report.staging?.foreign.sort()).toEqual([...foreign].sort());
    expect(await staged()).toEqual([...foreign].sort());
    expect(h.logs.filter((l) => l.event === 'apim-dr.sweep.staging' && l.dryRun === false)).toEqual([
      expect.objectContaining({ removedRuns: [`snapshot-staging/${run}/`], removedBlobs: left.length, foreign: foreign.length }),
    ]);
  });

  it("never removes a running take's parts, however old, and removes an earlier run of the same orchestration ID", async () => {
    const failed = await takeRefusingTags(100);
    expect((await runToCompletion(h, failed)).runtimeStatus).toBe('Failed');
    h.sandbox.apim.faults.clear();
    const dead = new Set(await staged());
    await h.clock.advance(STAGING_SAFE_AGE_MS + MINUTE);

    // The same singleton ID runs again; its tags part fails once, so it waits on its retry with its first parts staged.
    const running = await takeRefusingTags(1);
    expect(running).toBe(failed);
    await h.clock.advance(0);
    expect(h.host.engine.instances.get(running)?.runtimeStatus).toBe('Running');
    const live = (await staged()).filter((name) => !dead.has(name));
    expect(live.length).toBeGreaterThanOrEqual(3);

    // The sweep as it would run long after: the dead run's parts go, the running one's stay.
    const report = await sweepStaging(later(3 * STAGING_SAFE_AGE_MS), taskHubLiveness(engineStarter(h)), false);
    const liveFolder = live[0]!.slice(0, live[0]!.lastIndexOf('/') + 1);
    expect(report.kept).toEqual([{ folder: liveFolder, reason: 'live' }]);
    expect(report.removed.map((r) => r.blobs)).toEqual([dead.size]);
    expect(await staged()).toEqual(live);

    // The take then finishes and clears its own parts.
    expect((await runToCompletion(h, running)).runtimeStatus).toBe('Completed');
    expect(await staged()).toEqual([]);
  });
});
