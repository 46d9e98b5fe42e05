import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ArmConfigError, ArmConfigClient } from '../../src/azure/snapshot/armConfigClient';
import { readConfiguration } from '../../src/azure/snapshot/readConfiguration';
import { TEMPORARY_RELEASE_NOTES } from '../../src/domain/snapshot/apiRevisions';
import { parseServiceId } from '../../src/domain/resourceId';
import { removeResource } from '../../dev/sandbox/configApi';
import { seedDemoV2 } from '../../dev/sandbox/demoV2';
import { applySnapshot, checkSnapshotApply } from '../../src/workflows/snapshot/applySnapshot';
import { takeSnapshot } from '../../src/workflows/snapshot/takeSnapshot';
import { seedFullConfiguration } from '../support/configSeed';
import { startHarness, type Harness } from '../support/harness';
import { idOf, V2, V2_SERVICES, V2_STANDBY, v2Config } from '../support/v2Fleet';

describe('API revisions and releases in configuration snapshots', () => {
  let h: Harness;
  let source: ArmConfigClient;
  beforeEach(async () => {
    h = await startHarness({ services: V2_SERVICES, config: v2Config });
    seedFullConfiguration(h.sandbox.apim.service(V2), { apis: 2, operations: 2 });
    source = client(V2);
    // A policy with no secret in it, so that every resource of the API can be carried (secrets are tested elsewhere).
    await source.put('apis/orders/policies/policy', {
      properties: { format: 'rawxml', value: '<policies><inbound><set-backend-service backend-id="orders-backend" /></inbound></policies>' },
    });
    // Revision 2 of orders, made from revision 1, gains an operation; release r2 makes it current.
    await source.put('apis/orders;rev=2', {
      properties: { sourceApiId: `${idOf(V2)}/apis/orders`, apiRevisionDescription: 'adds returns', serviceUrl: 'https://orders-r2.weu.contoso.example' },
    });
    await source.put('apis/orders;rev=2/operations/returns', { properties: { displayName: 'returns', method: 'POST', urlTemplate: '/returns' } });
    await source.put('apis/orders/releases/r2', { properties: { apiId: `${idOf(V2)}/apis/orders;rev=2`, notes: 'returns' } });
  });
  afterEach(async () => {
    await h.close();
  });

  const client = (service: string) => h.services.configClient(parseServiceId(idOf(service))!);
  const snapshot = async () => (await takeSnapshot(h.services, { serviceId: V2, trigger: 'manual', requestedBy: 'test' })).snapshotName;
  const apply = (snapshotName: string, target: string, more: Record<string, unknown> = {}) =>
    applySnapshot(h.services, { snapshotName, target, requestedBy: 'test', requestedAt: h.clock.now().toISOString(), ...more });
  /** What a user sees of an API's revisions: each number, which is current, its description, and the releases. */
  async function revisionsOf(service: string, api: string) {
    const c = client(service);
    const revisions = (await c.list(`apis/${api}/revisions`)) as unknown as { apiRevision: string; isCurrent: boolean; description?: string }[];
    const releases = await Promise.all((await c.list(`apis/${api}/releases`)).map(async (r) => (await c.get(`apis/${api}/releases/${r.name}`))!.item));
    return {
      revisions: revisions.map((r) => ({ rev: r.apiRevision, current: r.isCurrent, description: r.description })).sort((a, b) => a.rev.localeCompare(b.rev)),
      releases: releases.map((r) => ({ name: r.name, revision: String(r.properties?.apiId).split('/').pop(), notes: r.properties?.notes })),
    };
  }
  const apiTree = async (service: string, api: string) =>
    (await readConfiguration(client(service))).resources.filter(
      (r) => r.path === `apis/${api}` || r.path.startsWith(`apis/${api}/`) || r.path.startsWith(`apis/${api};rev=`),
    );

  it('captures the non-current revision with its children and the release with the revision it released', async () => {
    const name = await snapshot();
    const manifest = await h.services.snapshots.readManifest(name);
    const document = await h.services.snapshots.readDocument(manifest);
    const byPath = new Map(document.resources.map((r) => [r.path, r.properties]));
    // The current revision is the API itself; revision 1 is kept apart, without the operation revision 2 added.
    expect(byPath.get('apis/orders')).toMatchObject({ apiRevision: '2', apiRevisionDescription: 'adds returns', displayName: 'orders' });
    expect(byPath.has('apis/orders/operations/returns')).toBe(true);
    expect(byPath.get('apis/orders;rev=1')).toMatchObject({ apiRevision: '1', serviceUrl: 'https://orders.weu.contoso.example' });
    expect(byPath.has('apis/orders;rev=1/operations/op-0')).toBe(true);
    expect(byPath.has('apis/orders;rev=1/operations/returns')).toBe(false);
    expect(byPath.get('apis/orders/releases/r2')).toEqual({ apiId: '/apis/orders;rev=2', notes: 'returns' });
    expect(byPath.get('apis/orders;rev=1')).not.toHaveProperty('isCurrent');
    expect(manifest.counts).toMatchObject({ apis: 2, apiRevisions: 1, apiReleases: 1 });
  });

  it('makes an empty v2 standby hold the same revisions, the same current one and the same releases', async () => {
    const name = await snapshot();
    const record = await apply(name, V2_STANDBY);
    expect(record.failed).toEqual([]);
    expect(record.verification?.mismatched).toEqual([]);
    expect(await revisionsOf(V2_STANDBY, 'orders')).toEqual(await revisionsOf(V2, 'orders'));
    expect(await revisionsOf(V2_STANDBY, 'orders')).toMatchObject({
      revisions: [
        { rev: '1', current: false },
        { rev: '2', current: true },
      ],
      releases: [{ name: 'r2', revision: 'orders;rev=2' }],
    });
    expect(await apiTree(V2_STANDBY, 'orders')).toEqual(await apiTree(V2, 'orders'));
  });

  it('brings a deleted API back with its revisions and releases with --only apis/orders', async () => {
    const name = await snapshot();
    const before = await revisionsOf(V2, 'orders');
    const tree = await apiTree(V2, 'orders');
    removeResource(h.sandbox.apim.service(V2), 'apis/orders');
    expect(Object.keys(h.sandbox.apim.service(V2).configuration.resources ?? {}).filter((k) => k.startsWith('apis/orders'))).toEqual([]);

    const check = await checkSnapshotApply(h.services, { snapshotName: name, target: V2, only: ['apis/orders'], requestedBy: 'test' });
    const order = check.writes.filter((w) => w.op === 'create' && (w.path.split('/').length === 2 || w.path.includes('/releases/'))).map((w) => w.path);
    expect(order).toEqual(['apis/orders', 'apis/orders;rev=1', 'apis/orders/releases/r2']);

    const record = await apply(name, V2, { only: ['apis/orders'] });
    expect(record.failed).toEqual([]);
    expect(record.verification?.mismatched).toEqual([]);
    expect(await revisionsOf(V2, 'orders')).toEqual(before);
    expect(await apiTree(V2, 'orders')).toEqual(tree);
  });

  it('deletes a revision the snapshot lacks only when mirroring, and in place only with consent', async () => {
    const name = await snapshot();
    await source.put('apis/orders;rev=3', { properties: { sourceApiId: `${idOf(V2)}/apis/orders`, apiRevisionDescription: 'later' } });
    const merge = await checkSnapshotApply(h.services, { snapshotName: name, target: V2, requestedBy: 'test' });
    expect(merge.counts.delete).toBe(0);
    await expect(checkSnapshotApply(h.services, { snapshotName: name, target: V2, mirror: true, requestedBy: 'test' })).rejects.toMatchObject({
      code: 'InPlaceNotAllowed',
    });
    const record = await apply(name, V2, { mirror: true, allowInPlace: true });
    expect(record.counts.delete).toBe(1);
    expect(record.verification).toMatchObject({ mismatched: [], stillPresent: [] });
    expect((await revisionsOf(V2, 'orders')).revisions.map((r) => r.rev)).toEqual(['1', '2']);
  });

  it('keeps a standby in step when the source releases another revision, whether the standby has that revision or not', async () => {
    await apply(await snapshot(), V2_STANDBY);
    // Revision 3 reaches the standby while it is not current yet.
    await source.put('apis/orders;rev=3', { properties: { sourceApiId: `${idOf(V2)}/apis/orders`, serviceUrl: 'https://orders-r3.weu.contoso.example' } });
    await source.put('apis/orders;rev=3/operations/refunds', { properties: { displayName: 'refunds', method: 'POST', urlTemplate: '/refunds' } });
    expect((await apply(await snapshot(), V2_STANDBY, { mirror: true })).verification?.mismatched).toEqual([]);
    // Then it is released on the source: the standby's revision 3 is released too, and 2 keeps its own children.
    await source.put('apis/orders/releases/r3', { properties: { apiId: `${idOf(V2)}/apis/orders;rev=3`, notes: 'refunds' } });
    const released = await apply(await snapshot(), V2_STANDBY, { mirror: true });
    expect(released.failed).toEqual([]);
    expect(released.verification).toMatchObject({ mismatched: [], stillPresent: [] });
    expect(await revisionsOf(V2_STANDBY, 'orders')).toEqual(await revisionsOf(V2, 'orders'));
    expect((await revisionsOf(V2_STANDBY, 'orders')).revisions.find((r) => r.current)?.rev).toBe('3');
    expect(await apiTree(V2_STANDBY, 'orders')).toEqual(await apiTree(V2, 'orders'));

    // Revision 4 is made and released on the source between two syncs: the standby makes it, then releases it.
    await source.put('apis/orders;rev=4', { properties: { sourceApiId: `${idOf(V2)}/apis/orders`, serviceUrl: 'https://orders-r4.weu.contoso.example' } });
    await source.delete('apis/orders;rev=4/operations/returns');
    await source.put('apis/orders/releases/r4', { properties: { apiId: `${idOf(V2)}/apis/orders;rev=4`, notes: 'no returns' } });
    const check = await checkSnapshotApply(h.services, { snapshotName: await snapshot(), target: V2_STANDBY, mirror: true, requestedBy: 'test' });
    // Revision 4 made from the current one, released, then given the snapshot's content; revision 3 is unchanged.
    const waves = check.writes.filter((w) => w.op !== 'delete' && w.path.startsWith('apis/orders') && w.wave < 5).map((w) => w.path);
    expect(waves).toEqual(['apis/orders;rev=4', 'apis/orders/releases/r4', 'apis/orders']);
    const newest = await apply((await h.services.snapshots.list(V2))[0]!.snapshotName, V2_STANDBY, { mirror: true });
    expect(newest.failed).toEqual([]);
    expect(newest.verification).toMatchObject({ mismatched: [], stillPresent: [] });
    expect(await revisionsOf(V2_STANDBY, 'orders')).toEqual(await revisionsOf(V2, 'orders'));
    expect(await apiTree(V2_STANDBY, 'orders')).toEqual(await apiTree(V2, 'orders'));
  });

  it('makes the snapshot current revision current again on a standby rolled back by a release of its own, through a release it then deletes', async () => {
    const name = await snapshot();
    await apply(name, V2_STANDBY);
    // On the standby, someone rolls back to revision 1: the snapshot's own release of revision 2 is there already.
    await client(V2_STANDBY).put('apis/orders/releases/rollback', { properties: { apiId: `${idOf(V2_STANDBY)}/apis/orders;rev=1` } });
    expect((await revisionsOf(V2_STANDBY, 'orders')).revisions.find((r) => r.current)?.rev).toBe('1');

    const check = await checkSnapshotApply(h.services, { snapshotName: name, target: V2_STANDBY, requestedBy: 'test' });
    expect(check.writes.filter((w) => w.path.includes('/releases/'))).toEqual([
      { op: 'create', path: 'apis/orders/releases/apim-dr-current', wave: 4.9 },
      { op: 'delete', path: 'apis/orders/releases/apim-dr-current', wave: 4.8 },
    ]);
    const merged = await apply(name, V2_STANDBY);
    expect(merged.failed).toEqual([]);
    expect(merged.verification).toMatchObject({ mismatched: [], stillPresent: [] });
    expect(await apiTree(V2_STANDBY, 'orders')).toEqual(
      [...(await apiTree(V2, 'orders')), ...(await apiTree(V2_STANDBY, 'orders')).filter((r) => r.path === 'apis/orders/releases/rollback')].sort((a, b) =>
        a.path.localeCompare(b.path),
      ),
    );
    // Merge keeps the standby's own release; mirror removes it, and the standby is the source's again.
    await apply(name, V2_STANDBY, { mirror: true });
    expect(await revisionsOf(V2_STANDBY, 'orders')).toEqual(await revisionsOf(V2, 'orders'));
  });

  it('removes, in merge mode too, the temporary release an apply that died left behind, and no release apim-dr did not make', async () => {
    const name = await snapshot();
    await apply(name, V2_STANDBY);
    // A dead apply's leftover: apim-dr's name and notes. Beside it, a release someone made with the same kind of name.
    const standby = client(V2_STANDBY);
    const release = (notes: string) => ({ properties: { apiId: `${idOf(V2_STANDBY)}/apis/orders;rev=1`, notes } });
    await standby.put('apis/orders/releases/apim-dr-current', release(TEMPORARY_RELEASE_NOTES));
    await standby.put('apis/orders/releases/apim-dr-current-1', release('rolled back by hand'));
    await standby.put('apis/orders/releases/r2-again', { properties: { apiId: `${idOf(V2_STANDBY)}/apis/orders;rev=2` } });

    const check = await checkSnapshotApply(h.services, { snapshotName: name, target: V2_STANDBY, requestedBy: 'test' });
    expect(check.writes.filter((w) => w.op === 'delete')).toEqual([{ op: 'delete', path: 'apis/orders/releases/apim-dr-current', wave: 4.8 }]);
    const record = await apply(name, V2_STANDBY);
    expect(record.failed).toEqual([]);
    expect(record.verification).toMatchObject({ mismatched: [], stillPresent: [] });
    expect((await revisionsOf(V2_STANDBY, 'orders')).releases.map((r) => r.name).sort()).toEqual(['apim-dr-current-1', 'r2', 'r2-again']);
  });

  it('carries no leftover temporary release from a snapshot that caught one, and verifies clean without it', async () => {
    await source.put('apis/orders/releases/apim-dr-current', { properties: { apiId: `${idOf(V2)}/apis/orders;rev=2`, notes: TEMPORARY_RELEASE_NOTES } });
    const name = await snapshot();
    const check = await checkSnapshotApply(h.services, { snapshotName: name, target: V2_STANDBY, requestedBy: 'test' });
    expect(check.writes.filter((w) => w.path.includes('apim-dr-current'))).toEqual([]);
    const record = await apply(name, V2_STANDBY);
    expect(record.verification).toMatchObject({ mismatched: [], stillPresent: [] });
    expect((await revisionsOf(V2_STANDBY, 'orders')).releases.map((r) => r.name)).toEqual(['r2']);
    // Applied back to its own instance, it removes the leftover there.
    const back = await apply(name, V2, { allowInPlace: true });
    expect(back.verification).toMatchObject({ mismatched: [], stillPresent: [] });
    expect((await revisionsOf(V2, 'orders')).releases.map((r) => r.name)).toEqual(['r2']);
  });

  it("captures the demo's orders revisions and applies them to its standby", async () => {
    removeResource(h.sandbox.apim.service(V2), 'apis/orders');
    seedDemoV2(h.sandbox.apim.service(V2));
    const manifest = await h.services.snapshots.readManifest(await snapshot());
    expect(manifest.counts).toMatchObject({ apiRevisions: 1, apiReleases: 1 });
    const record = await apply(manifest.snapshotName, V2_STANDBY);
    expect(record.verification?.mismatched).toEqual([]);
    expect(await revisionsOf(V2_STANDBY, 'orders')).toEqual(await revisionsOf(V2, 'orders'));
  });

  it('refuses, as Azure does, what a non-current revision cannot do', async () => {
    const refused = async (work: Promise<unknown>) => {
      const err = (await work.then(
        () => undefined,
        (e: unknown) => e,
      )) as ArmConfigError | undefined;
      return err && `${err.status} ${err.code}`;
    };
    // The API's own fields are the current revision's.
    expect(await refused(source.put('apis/orders;rev=1', { properties: { displayName: 'renamed' } }))).toBe('400 ValidationError');
    expect((await source.get('apis/orders;rev=1'))?.item.properties).toMatchObject({ displayName: 'orders', isCurrent: false });
    // A revision is made from a source, of an API that exists.
    expect(await refused(source.put('apis/orders;rev=4', { properties: { apiRevisionDescription: 'x' } }))).toBe('400 ValidationError');
    expect(await refused(source.put('apis/missing;rev=2', { properties: { sourceApiId: `${idOf(V2)}/apis/orders` } }))).toBe('404 ResourceNotFound');
    // The current revision cannot be deleted by its number, nor renumbered.
    expect(await refused(source.delete('apis/orders;rev=2'))).toBe('400 ValidationError');
    expect(await refused(source.put('apis/orders', { properties: { displayName: 'orders', path: 'orders', apiRevision: '5' } }))).toBe('400 ValidationError');
    // `GET apis` lists current revisions only; a release list leaves out the revision it released.
    expect((await source.list('apis')).map((a) => a.name)).toEqual(['api-1', 'orders']);
    expect((await source.list('apis/orders/releases'))[0]?.properties).not.toHaveProperty('apiId');
  });
});
