import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedResource } from '../../dev/sandbox/configApi';
import { snapshotInstanceId } from '../../src/workflows/snapshot/names';
import { APIS_PER_PART } from '../../src/workflows/snapshot/snapshotParts';
import { snapshotOf, type SnapshotSummary } from '../../src/workflows/snapshot/takeSnapshot';
import { parseServiceId } from '../../src/domain/resourceId';
import { seedFullConfiguration } from '../support/configSeed';
import { runToCompletion, startHarness, type Harness } from '../support/harness';
import { idOf, V2, V2_SERVICES, V2_STANDBY, v2Config } from '../support/v2Fleet';

describe('a snapshot taken in bounded parts', () => {
  let h: Harness;
  const activities: string[] = [];
  const marks: { name: string; reads: number }[] = [];
  let standbyReads: (() => number) | undefined;
  beforeEach(async () => {
    activities.length = 0;
    marks.length = 0;
    standbyReads = undefined;
    h = await startHarness({
      services: V2_SERVICES,
      config: v2Config,
      // A small payload limit: every payload must stay far below the scheduler's 1 MiB (the dry run's answer, with its first writes and findings, is the largest).
      hooks: {
        payloadLimitBytes: 65_536,
        duplicateActivity: (name) => {
          activities.push(name);
          // The standby's reads so far, as each activity is scheduled: what a lone activity read is the next mark's less its own.
          if (standbyReads) marks.push({ name, reads: standbyReads() });
          return 0;
        },
      },
    });
    standbyReads = () => h.sandbox.apim.count('config.list', V2_STANDBY) + h.sandbox.apim.count('config.get', V2_STANDBY);
    seedFullConfiguration(h.sandbox.apim.service(V2), { apis: 2, operations: 2 });
    for (let a = 0; a < 2 * APIS_PER_PART + 5; a++) {
      seedResource(h.sandbox.apim.service(V2), `apis/many-${a}`, {
        displayName: `many ${a}`,
        path: `many-${a}`,
        protocols: ['https'],
        serviceUrl: 'https://x.example',
      });
      seedResource(h.sandbox.apim.service(V2), `apis/many-${a}/operations/get`, { displayName: 'get', method: 'GET', urlTemplate: '/' });
    }
  });
  afterEach(async () => {
    await h.close();
  });

  it('reads a page of APIs per activity, keeps payloads small, and stores the same snapshot as one whole read', async () => {
    const response = await h.api('POST', '/api/snapshots', { service: V2 });
    expect(response.status).toBe(202);
    const instance = await runToCompletion(h, snapshotInstanceId(V2, idOf(V2)));
    expect(instance.runtimeStatus).toBe('Completed');
    const summary = instance.output as SnapshotSummary;

    // 47 APIs: three pages of APIs, one part per other top-level type, a plan and a finish; no whole-instance activity.
    const parts = activities.filter((a) => a === 'readSnapshotPart').length;
    expect(activities.filter((a) => a === 'takeSnapshot')).toEqual([]);
    expect(activities.filter((a) => a === 'planSnapshotParts' || a === 'finishSnapshotParts')).toHaveLength(2);
    expect(parts).toBeGreaterThanOrEqual(3 + 10);
    expect(h.host.engine.largestPayload.bytes).toBeLessThan(65_536);

    const whole = await snapshotOf(h.services, parseServiceId(idOf(V2))!, 'manual', 'test');
    const [inParts, inOne] = await Promise.all(
      [summary.snapshotName, whole.snapshotName].map(async (name) => h.services.snapshots.readDocument(await h.services.snapshots.readManifest(name))),
    );
    expect(inParts!.resources).toEqual(inOne!.resources);
    expect(inParts!.notCaptured).toEqual(inOne!.notCaptured);
    expect(summary.resourceCount).toBe(whole.resourceCount);
    // One GET per API more than one whole read (the pages of APIs are read by name, the plan lists them once).
    expect(summary.armRequests).toBeLessThanOrEqual(whole.armRequests + 2 + 2 * APIS_PER_PART + 5);

    // The parts are cleared away once the snapshot is stored.
    const left: string[] = [];
    for await (const blob of h.services.snapshots.container.listBlobsFlat({ prefix: 'snapshot-staging/' })) left.push(blob.name);
    expect(left).toEqual([]);
  });

  it('applies in bounded steps: a plan, the writes a wave at a time, the verification; no whole-apply activity', async () => {
    const response = await h.api('POST', '/api/snapshots', { service: V2 });
    const summary = (await runToCompletion(h, response.body.id)).output as SnapshotSummary;
    activities.length = 0;
    const apply = await h.api('POST', '/api/snapshots/apply', { snapshot: summary.snapshotName, target: V2_STANDBY, confirm: V2_STANDBY });
    expect(apply.status).toBe(202);
    const instance = await runToCompletion(h, apply.body.id);
    expect(instance.runtimeStatus, JSON.stringify(instance.output)).toBe('Completed');
    expect(instance.output).toMatchObject({ failed: [], verification: { mismatched: [], stillPresent: [] } });
    expect(activities.filter((a) => a === 'applySnapshot')).toEqual([]);
    expect(activities.filter((a) => a === 'planSnapshotApply' || a === 'finishSnapshotApply')).toHaveLength(2);
    // One step per wave written (certificates … policies): more than one activity, each a bounded chunk.
    expect(activities.filter((a) => a === 'applySnapshotStep').length).toBeGreaterThan(3);
    expect(h.host.engine.largestPayload.bytes).toBeLessThan(65_536);
    const left: string[] = [];
    for await (const blob of h.services.snapshots.container.listBlobsFlat({ prefix: 'apply-staging/' })) left.push(blob.name);
    expect(left).toEqual([]);
  });
  it('reads a whole target in parts for the dry run and the verification: neither activity reads the target itself', async () => {
    const response = await h.api('POST', '/api/snapshots', { service: V2 });
    const summary = (await runToCompletion(h, response.body.id)).output as SnapshotSummary;
    // The standby already holds a configuration of its own: its reads are as large as the source's.
    seedFullConfiguration(h.sandbox.apim.service(V2_STANDBY), { apis: 2, operations: 2 });
    for (let a = 0; a < 2 * APIS_PER_PART + 5; a++)
      seedResource(h.sandbox.apim.service(V2_STANDBY), `apis/many-${a}`, {
        displayName: `other ${a}`,
        path: `many-${a}`,
        protocols: ['https'],
        serviceUrl: 'https://y.example',
      });
    activities.length = 0;
    marks.length = 0;
    const apply = await h.api('POST', '/api/snapshots/apply', { snapshot: summary.snapshotName, target: V2_STANDBY, confirm: V2_STANDBY });
    const instance = await runToCompletion(h, apply.body.id);
    expect(instance.output).toMatchObject({ failed: [], verification: { mismatched: [], stillPresent: [] } });
    const readBy = (name: string) => {
      const at = marks.findIndex((m) => m.name === name);
      expect(at, name).toBeGreaterThanOrEqual(0);
      return (marks[at + 1]?.reads ?? standbyReads!()) - marks[at]!.reads;
    };
    // The dry run and the verification plan and compare on what the parts read; the parts read the standby.
    expect(readBy('checkSnapshotApply')).toBe(0);
    expect(readBy('finishSnapshotApply')).toBe(0);
    const parts = activities.filter((a) => a === 'readSnapshotPart').length;
    expect(parts).toBeGreaterThanOrEqual(2 * (3 + 10));
    expect(activities.filter((a) => a === 'finishSnapshotParts')).toHaveLength(1);
    expect(h.host.engine.largestPayload.bytes).toBeLessThan(65_536);
    // The pre-apply snapshot (the dry run's read, stored) holds what the standby held before.
    const before = await h.services.snapshots.readManifest((instance.output as { preApplySnapshot: string }).preApplySnapshot);
    expect(before.counts.apis).toBeGreaterThanOrEqual(2 * APIS_PER_PART + 5);
    // Every staged read is cleared: the dry run's became the snapshot, the verification's went with the record.
    const left: string[] = [];
    for await (const blob of h.services.snapshots.container.listBlobsFlat({ prefix: 'snapshot-staging/' })) left.push(blob.name);
    expect(left).toEqual([]);
  });

  it('refuses an apply into an instance that is not a standby before reading any of it', async () => {
    const response = await h.api('POST', '/api/snapshots', { service: V2 });
    const summary = (await runToCompletion(h, response.body.id)).output as SnapshotSummary;
    const reads = () => h.sandbox.apim.count('config.list', 'contoso-apim-dev') + h.sandbox.apim.count('config.get', 'contoso-apim-dev');
    const before = reads();
    activities.length = 0;
    // As a sync would start it, past the HTTP edge's own check.
    h.host.engine.start('snapshotApplyOrchestrator', 'apply-into-dev', { snapshotName: summary.snapshotName, target: 'contoso-apim-dev', requestedBy: 'test' });
    const instance = await runToCompletion(h, 'apply-into-dev');
    expect(instance.runtimeStatus).toBe('Failed');
    expect(JSON.stringify(instance.output)).toContain('is not a configured standby');
    expect(reads()).toBe(before);
    expect(activities.filter((a) => a === 'readSnapshotPart' || a === 'planSnapshotParts')).toHaveLength(0);
  });
});
