import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { removeResource, seedResource } from '../../dev/sandbox/configApi';
import { applySnapshot } from '../../src/workflows/snapshot/applySnapshot';
import { takeSnapshot } from '../../src/workflows/snapshot/takeSnapshot';
import { snapshotStatuses } from '../../src/workflows/status/snapshotStatus';
import { seedFullConfiguration } from '../support/configSeed';
import { runToCompletion, startHarness, type Harness } from '../support/harness';
import { V2, V2_SERVICES, v2SnapshotConfig } from '../support/v2Fleet';

describe('the way back of an --only apply covers what the apply touches', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({
      services: V2_SERVICES,
      config: (sandbox) => v2SnapshotConfig(sandbox),
    });
    seedFullConfiguration(h.sandbox.apim.service(V2), { apis: 4, operations: 3 });
  });
  afterEach(async () => {
    await h.close();
  });

  const stored = (path: string) => h.sandbox.apim.service(V2).configuration.resources?.[path.toLowerCase()]?.properties;
  async function applyOverHttp(body: Record<string, unknown>) {
    const response = await h.api('POST', '/api/snapshots/apply', { target: V2, confirm: V2, ...body });
    expect(response.status).toBe(202);
    const instance = await runToCompletion(h, response.body.id);
    expect(instance.runtimeStatus).toBe('Completed');
    return instance.output as { state: string; preApplySnapshot: string };
  }

  it('snapshots the API and what it needs before an --only apply, and applying that snapshot back undoes the apply within its scope alone', async () => {
    const full = await takeSnapshot(h.services, { serviceId: V2, trigger: 'manual', requestedBy: 'test' });
    // Since the snapshot: api-1 was renamed and lost an operation; api-2 was renamed too (outside the scope).
    seedResource(h.sandbox.apim.service(V2), 'apis/api-1', { ...stored('apis/api-1'), displayName: 'renamed' });
    seedResource(h.sandbox.apim.service(V2), 'apis/api-2', { ...stored('apis/api-2'), displayName: 'renamed too' });
    removeResource(h.sandbox.apim.service(V2), 'apis/api-1/operations/op-2');

    const applied = await applyOverHttp({ snapshot: full.snapshotName, only: ['apis/api-1'] });
    expect(stored('apis/api-1')).toMatchObject({ displayName: 'api-1' });
    expect(stored('apis/api-1/operations/op-2')).toBeDefined();
    const before = await h.services.snapshots.readManifest(applied.preApplySnapshot);
    expect(before.scope).toEqual(['apis/api-1']);
    // The API (as it was), its children, its product link and what it needs: not the other APIs, nor the rest.
    expect(before.counts['apis']).toBe(1);
    expect(before.resourceCount).toBeLessThan(full.resourceCount / 2);
    expect(before.armRequests).toBeLessThan(full.armRequests / 2);
    const document = await h.services.snapshots.readDocument(before);
    expect(document.resources.map((r) => r.path).filter((p) => p.startsWith('apis/api-2'))).toEqual([]);

    // A part of the instance is no protection of it: the newest snapshot, for the RPO, is still the full one.
    expect((await h.services.snapshots.list(V2)).find((e) => e.snapshotName === applied.preApplySnapshot)?.scoped).toBe(true);
    expect((await snapshotStatuses(h.services)).protection.get(V2)?.newest?.snapshotName).toBe(full.snapshotName);

    // The way back, mirrored in place: api-1 is renamed again and the operation the apply created goes; api-2 and the
    // rest of the instance are left as they are.
    const othersBefore = Object.keys(h.sandbox.apim.service(V2).configuration.resources ?? {})
      .filter((k) => !k.startsWith('apis/api-1'))
      .sort();
    const back = await applySnapshot(h.services, {
      snapshotName: applied.preApplySnapshot,
      target: V2,
      mirror: true,
      allowInPlace: true,
      requestedBy: 'test',
      requestedAt: h.clock.now().toISOString(),
    });
    expect(back.counts.delete).toBe(1);
    expect(back.verification?.stillPresent).toEqual([]);
    expect(stored('apis/api-1')).toMatchObject({ displayName: 'renamed' });
    expect(stored('apis/api-1/operations/op-2')).toBeUndefined();
    expect(stored('apis/api-2')).toMatchObject({ displayName: 'renamed too' });
    expect(
      Object.keys(h.sandbox.apim.service(V2).configuration.resources ?? {})
        .filter((k) => !k.startsWith('apis/api-1'))
        .sort(),
    ).toEqual(othersBefore);
  });

  it('keeps a whole-instance way back for a full apply', async () => {
    const full = await takeSnapshot(h.services, { serviceId: V2, trigger: 'manual', requestedBy: 'test' });
    const applied = await applyOverHttp({ snapshot: full.snapshotName });
    const before = await h.services.snapshots.readManifest(applied.preApplySnapshot);
    expect(before.scope).toBeUndefined();
    expect(before.resourceCount).toBe(full.resourceCount);
  });
});
