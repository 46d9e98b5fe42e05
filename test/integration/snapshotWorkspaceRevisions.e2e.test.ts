import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ArmConfigClient, ArmConfigError } from '../../src/azure/snapshot/armConfigClient';
import { readConfiguration } from '../../src/azure/snapshot/readConfiguration';
import { parseServiceId } from '../../src/domain/resourceId';
import { removeResource } from '../../dev/sandbox/configApi';
import { DEMO_WORKSPACE, seedDemoWorkspace } from '../../dev/sandbox/demoV2';
import { applySnapshot, checkSnapshotApply } from '../../src/workflows/snapshot/applySnapshot';
import { takeSnapshot } from '../../src/workflows/snapshot/takeSnapshot';
import { seedFullConfiguration } from '../support/configSeed';
import { runToCompletion, startHarness, type Harness } from '../support/harness';
import { idOf, V2, V2_SERVICES, V2_STANDBY, v2Config } from '../support/v2Fleet';

const WS = `workspaces/${DEMO_WORKSPACE}`;
const API = `${WS}/apis/partner-orders`;

describe('API revisions and releases of a workspace in configuration snapshots', () => {
  let h: Harness;
  let source: ArmConfigClient;
  beforeEach(async () => {
    h = await startHarness({ services: V2_SERVICES, config: v2Config });
    const v2 = h.sandbox.apim.service(V2);
    seedFullConfiguration(v2, { apis: 1, operations: 1 });
    seedDemoWorkspace(v2);
    source = client(V2);
    // Revision 2 of the workspace's partner-orders, made from revision 1 through ARM, gains an operation; r2 releases it.
    await source.put(`${API};rev=2`, {
      properties: { sourceApiId: `${idOf(V2)}/${API}`, apiRevisionDescription: 'adds returns', serviceUrl: 'https://partner-orders-r2.weu.contoso.example' },
    });
    await source.put(`${API};rev=2/operations/returns`, { properties: { displayName: 'returns', method: 'POST', urlTemplate: '/returns' } });
    await source.put(`${API}/releases/r2`, { properties: { apiId: `${idOf(V2)}/${API};rev=2`, notes: 'returns' } });
  });
  afterEach(async () => {
    await h.close();
  });

  const client = (service: string) => h.services.configClient(parseServiceId(idOf(service))!);
  const snapshot = async () => (await takeSnapshot(h.services, { serviceId: V2, trigger: 'manual', requestedBy: 'test' })).snapshotName;
  const apply = (snapshotName: string, target: string, more: Record<string, unknown> = {}) =>
    applySnapshot(h.services, { snapshotName, target, requestedBy: 'test', requestedAt: h.clock.now().toISOString(), ...more });
  /** The workspace API's revisions as its revisions list shows them, and its releases as a GET of each shows them. */
  async function revisionsOf(service: string) {
    const c = client(service);
    const revisions = (await c.list(`${API}/revisions`)) as unknown as { apiRevision: string; isCurrent: boolean; description?: string }[];
    const releases = await Promise.all((await c.list(`${API}/releases`)).map(async (r) => (await c.get(`${API}/releases/${r.name}`))!.item));
    return {
      revisions: revisions.map((r) => ({ rev: r.apiRevision, current: r.isCurrent, description: r.description })).sort((a, b) => a.rev.localeCompare(b.rev)),
      releases: releases.map((r) => ({ name: r.name, revision: String(r.properties?.apiId).split('/').pop(), notes: r.properties?.notes })),
    };
  }
  const apiTree = async (service: string) =>
    (await readConfiguration(client(service))).resources.filter((r) => r.path === API || r.path.startsWith(`${API}/`) || r.path.startsWith(`${API};rev=`));

  it('captures the workspace API’s non-current revision with its children and its release, counted apart', async () => {
    const manifest = await h.services.snapshots.readManifest(await snapshot());
    const document = await h.services.snapshots.readDocument(manifest);
    const byPath = new Map(document.resources.map((r) => [r.path, r.properties]));
    expect(byPath.get(API)).toMatchObject({ apiRevision: '2', apiRevisionDescription: 'adds returns' });
    expect(byPath.has(`${API}/operations/returns`)).toBe(true);
    expect(byPath.get(`${API};rev=1`)).toMatchObject({ apiRevision: '1', serviceUrl: 'https://partner-orders.weu.contoso.example' });
    expect(byPath.has(`${API};rev=1/operations/list`)).toBe(true);
    expect(byPath.has(`${API};rev=1/operations/returns`)).toBe(false);
    // The release's revision, kept relative, from a GET of the release (the list leaves it out).
    expect(byPath.get(`${API}/releases/r2`)).toEqual({ apiId: `/${API};rev=2`, notes: 'returns' });
    expect(manifest.counts).toMatchObject({ workspaceApis: 2, workspaceApiRevisions: 1, workspaceApiReleases: 1 });

    // Taken in parts (the workspace's APIs a page at a time), the same resources.
    const response = await h.api('POST', '/api/snapshots', { service: V2 });
    const instance = await runToCompletion(h, response.body.id);
    expect(instance.runtimeStatus).toBe('Completed');
    const inParts = await h.services.snapshots.readManifest((instance.output as { snapshotName: string }).snapshotName);
    expect((await h.services.snapshots.readDocument(inParts)).resources).toEqual(document.resources);
  });

  it('makes an empty v2 standby hold the workspace API’s revisions, its current one and its releases', async () => {
    const record = await apply(await snapshot(), V2_STANDBY);
    expect(record.failed).toEqual([]);
    expect(record.verification?.mismatched).toEqual([]);
    expect(await revisionsOf(V2_STANDBY)).toEqual(await revisionsOf(V2));
    expect((await revisionsOf(V2_STANDBY)).revisions.map((r) => `${r.rev}${r.current ? '*' : ''}`)).toEqual(['1', '2*']);
    expect(await apiTree(V2_STANDBY)).toEqual(await apiTree(V2));
  });

  it('brings a deleted workspace API back with its revisions and releases with --only workspaces/<w>/apis/<a>', async () => {
    const name = await snapshot();
    const before = await revisionsOf(V2);
    const tree = await apiTree(V2);
    removeResource(h.sandbox.apim.service(V2), API);
    expect(Object.keys(h.sandbox.apim.service(V2).configuration.resources ?? {}).filter((k) => k.startsWith(API))).toEqual([]);

    const check = await checkSnapshotApply(h.services, { snapshotName: name, target: V2, only: [API], requestedBy: 'test' });
    const order = check.writes.filter((w) => w.op === 'create' && (w.path.split('/').length === 4 || w.path.includes('/releases/'))).map((w) => w.path);
    // The API, then its other revision (made from it), then the release that makes revision 2 current.
    expect(order).toEqual([API, `${API};rev=1`, `${API}/releases/r2`]);

    const record = await apply(name, V2, { only: [API] });
    expect(record.failed).toEqual([]);
    expect(record.verification?.mismatched).toEqual([]);
    expect(await revisionsOf(V2)).toEqual(before);
    expect(await apiTree(V2)).toEqual(tree);
  });

  it('keeps a standby in step when the source releases another revision of a workspace API', async () => {
    await apply(await snapshot(), V2_STANDBY);
    // Revision 3 is made and released on the source between two syncs: the standby makes it, then releases it.
    await source.put(`${API};rev=3`, { properties: { sourceApiId: `${idOf(V2)}/${API}`, serviceUrl: 'https://partner-orders-r3.weu.contoso.example' } });
    await source.delete(`${API};rev=3/operations/returns`);
    await source.put(`${API}/releases/r3`, { properties: { apiId: `${idOf(V2)}/${API};rev=3`, notes: 'no returns' } });
    const record = await apply(await snapshot(), V2_STANDBY, { mirror: true });
    expect(record.failed).toEqual([]);
    expect(record.verification).toMatchObject({ mismatched: [], stillPresent: [] });
    expect((await revisionsOf(V2_STANDBY)).revisions.find((r) => r.current)?.rev).toBe('3');
    expect(await revisionsOf(V2_STANDBY)).toEqual(await revisionsOf(V2));
    expect(await apiTree(V2_STANDBY)).toEqual(await apiTree(V2));
  });

  it('deletes a workspace API revision the snapshot lacks only when mirroring', async () => {
    const name = await snapshot();
    await source.put(`${API};rev=3`, { properties: { sourceApiId: `${idOf(V2)}/${API}`, apiRevisionDescription: 'later' } });
    expect((await checkSnapshotApply(h.services, { snapshotName: name, target: V2, requestedBy: 'test' })).counts.delete).toBe(0);
    const record = await apply(name, V2, { mirror: true, allowInPlace: true });
    expect(record.counts.delete).toBe(1);
    expect(record.verification).toMatchObject({ mismatched: [], stillPresent: [] });
    expect((await revisionsOf(V2)).revisions.map((r) => r.rev)).toEqual(['1', '2']);
  });

  it('refuses in a workspace what Azure refuses of revisions and releases at the service', async () => {
    const refused = async (work: Promise<unknown>) => {
      const err = (await work.then(
        () => undefined,
        (e: unknown) => e,
      )) as ArmConfigError | undefined;
      return err && `${err.status} ${err.code}`;
    };
    expect(await refused(source.put(`${API};rev=1`, { properties: { displayName: 'renamed' } }))).toBe('400 ValidationError');
    expect((await source.get(`${API};rev=1`))?.item.properties).toMatchObject({ displayName: 'partner-orders', isCurrent: false });
    // A revision needs a source in its own scope, and an API that exists.
    expect(await refused(source.put(`${API};rev=4`, { properties: { sourceApiId: `${idOf(V2)}/apis/api-0` } }))).toBe('400 ValidationError');
    expect(await refused(source.put(`${WS}/apis/missing;rev=2`, { properties: { sourceApiId: `${idOf(V2)}/${API}` } }))).toBe('404 ResourceNotFound');
    // A release names a revision of its own API, and belongs to the API, not to a revision.
    expect(await refused(source.put(`${API}/releases/x`, { properties: { apiId: `${idOf(V2)}/${WS}/apis/partner-invoices;rev=1` } }))).toBe(
      '400 ValidationError',
    );
    expect(await refused(source.put(`${API};rev=1/releases/x`, { properties: { apiId: `${idOf(V2)}/${API};rev=1` } }))).toBe('400 ValidationError');
    expect(await refused(source.delete(`${API};rev=2`))).toBe('400 ValidationError');
    // The workspace's API list shows current revisions only; its release list leaves out the revision released.
    expect((await source.list(`${WS}/apis`)).map((a) => a.name)).toEqual(['partner-invoices', 'partner-orders']);
    expect((await source.list(`${API}/releases`))[0]?.properties).not.toHaveProperty('apiId');
  });
});
