import { describe, expect, it } from 'vitest';
import { planApply, type SnapshotSource } from '../../../../src/domain/snapshot/applyPlan';
import type { SnapshotResource } from '../../../../src/domain/snapshot/captureResource';

const SOURCE_ID = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ApiManagement/service/source';
const TARGET_ID = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ApiManagement/service/target';
const API = 'workspaces/team/apis/orders';

const api = (path: string, apiRevision: string): SnapshotResource => ({
  path,
  properties: { displayName: 'orders', path: 'orders', protocols: ['https'], apiRevision },
});
const operation = (path: string): SnapshotResource => ({ path, properties: { displayName: path, method: 'GET', urlTemplate: '/x' } });
const release = (path: string, revision: string): SnapshotResource => ({ path, properties: { apiId: `/${API};rev=${revision}`, notes: path } });

/** A workspace API at revision 3 (released by r3 after z-rollout released revision 1), revisions 1 and 2 kept. */
const snapshot: SnapshotSource = {
  id: SOURCE_ID,
  tier: 'StandardV2',
  notCaptured: [],
  resources: [
    { path: 'workspaces/team', properties: { displayName: 'team' } },
    api(API, '3'),
    operation(`${API}/operations/get`),
    api(`${API};rev=2`, '2'),
    api(`${API};rev=1`, '1'),
    release(`${API}/releases/r3`, '3'),
    release(`${API}/releases/z-rollout`, '1'),
  ],
};
const target = (resources: SnapshotResource[]) => ({ id: TARGET_ID, name: 'target', tier: 'StandardV2', resources });
const order = (writes: { op: string; path: string }[]) => writes.filter((w) => w.op !== 'delete' && w.path.startsWith(API)).map((w) => w.path);

describe('planning the apply of a workspace API’s revisions and releases', () => {
  it('writes the API, its other revisions in order, then the releases with the current revision released last', () => {
    const plan = planApply(snapshot, target([]));
    expect(plan.skipped).toEqual([]);
    expect(order(plan.writes)).toEqual([API, `${API};rev=1`, `${API};rev=2`, `${API}/releases/z-rollout`, `${API}/releases/r3`, `${API}/operations/get`]);
  });

  it('switches a workspace API current in another revision on the target through the snapshot’s release, then writes the API', () => {
    const plan = planApply(snapshot, target([snapshot.resources[0]!, api(API, '2'), operation(`${API}/operations/get`), api(`${API};rev=1`, '1')]));
    // Revision 3 is made (from the current one) and released by r3; the API as the copy left it equals the snapshot's.
    expect(order(plan.writes).filter((p) => !p.includes('/operations/'))).toEqual([`${API};rev=3`, `${API}/releases/z-rollout`, `${API}/releases/r3`]);
    expect(plan.writes.find((w) => w.path === `${API};rev=3`)).toMatchObject({ op: 'create' });
    // Given other content, the API is written after the release that made revision 3 current, the former current after it.
    const changed = { ...snapshot, resources: snapshot.resources.map((r) => (r.path === API ? api(API, '3') : r)) };
    changed.resources.find((r) => r.path === API)!.properties!.serviceUrl = 'https://orders-r3.example';
    changed.resources.find((r) => r.path === `${API};rev=2`)!.properties = { ...api(`${API};rev=2`, '2').properties, serviceUrl: 'https://orders-r2.example' };
    const switched = planApply(changed, target([snapshot.resources[0]!, api(API, '2'), operation(`${API}/operations/get`), api(`${API};rev=1`, '1')]));
    expect(order(switched.writes).filter((p) => !p.includes('/operations/'))).toEqual([
      `${API};rev=3`,
      `${API}/releases/z-rollout`,
      `${API}/releases/r3`,
      API,
      `${API};rev=2`,
    ]);
  });

  it('makes the snapshot’s current revision current through a temporary release in the workspace when no release of it is created', () => {
    const existing = [
      ...snapshot.resources.filter((r) => !r.path.includes('/releases/')),
      release(`${API}/releases/r3`, '3'),
      release(`${API}/releases/back`, '1'),
    ];
    const plan = planApply(snapshot, target(existing.map((r) => (r.path === API ? api(API, '1') : r.path === `${API};rev=1` ? api(`${API};rev=3`, '3') : r))));
    expect(plan.writes.filter((w) => w.path.includes('apim-dr-current'))).toEqual([
      { op: 'create', path: `${API}/releases/apim-dr-current`, wave: 4.9 },
      { op: 'delete', path: `${API}/releases/apim-dr-current`, wave: 4.8 },
    ]);
  });
});
