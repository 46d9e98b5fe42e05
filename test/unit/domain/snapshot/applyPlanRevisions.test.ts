import { describe, expect, it } from 'vitest';
import { planApply, type SnapshotSource } from '../../../../src/domain/snapshot/applyPlan';
import type { SnapshotResource } from '../../../../src/domain/snapshot/captureResource';

const SOURCE_ID = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ApiManagement/service/source';
const TARGET_ID = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ApiManagement/service/target';

const api = (path: string, apiRevision: string, more: Record<string, unknown> = {}): SnapshotResource => ({
  path,
  properties: { displayName: 'orders', path: 'orders', protocols: ['https'], apiRevision, ...more },
});
const operation = (path: string): SnapshotResource => ({ path, properties: { displayName: path, method: 'GET', urlTemplate: '/x' } });
const release = (path: string, revision: string): SnapshotResource => ({ path, properties: { apiId: `/apis/${revision}`, notes: path } });

/** orders: revision 3 current (released by r3 after z-rollout had released revision 1), revision 1 and 2 kept. */
const snapshot: SnapshotSource = {
  id: SOURCE_ID,
  tier: 'StandardV2',
  notCaptured: [],
  resources: [
    api('apis/orders', '3'),
    operation('apis/orders/operations/get'),
    api('apis/orders;rev=2', '2'),
    operation('apis/orders;rev=2/operations/get'),
    api('apis/orders;rev=1', '1'),
    release('apis/orders/releases/r3', 'orders;rev=3'),
    release('apis/orders/releases/z-rollout', 'orders;rev=1'),
    api('apis/orders-v2', '1'),
  ],
};
const target = (resources: SnapshotResource[]) => ({ id: TARGET_ID, name: 'target', tier: 'StandardV2', resources });
const order = (writes: { op: string; path: string }[]) => writes.filter((w) => w.op !== 'delete').map((w) => w.path);

describe('planning the apply of API revisions and releases', () => {
  it('writes the API, then its other revisions in order, then the releases with the current revision released last (whatever their names), then children', () => {
    const plan = planApply(snapshot, target([]));
    expect(plan.skipped).toEqual([]);
    expect(order(plan.writes)).toEqual([
      'apis/orders',
      'apis/orders-v2',
      'apis/orders;rev=1',
      'apis/orders;rev=2',
      'apis/orders/releases/z-rollout',
      'apis/orders/releases/r3',
      'apis/orders;rev=2/operations/get',
      'apis/orders/operations/get',
    ]);
  });

  it('brings an API back with its revisions and releases under --only, and nothing of an API whose name starts the same', () => {
    const plan = planApply(snapshot, target([]), { only: ['apis/orders'] });
    expect(plan.scope).toHaveLength(7);
    expect(plan.scope).not.toContain('apis/orders-v2');
  });

  it('deletes what a new revision copied from the current one and the snapshot lacks, in merge mode too', () => {
    const existing = [api('apis/orders', '3'), operation('apis/orders/operations/get'), operation('apis/orders/operations/old')];
    const plan = planApply(snapshot, target(existing));
    expect(plan.writes.filter((w) => w.op === 'delete').map((w) => w.path)).toEqual(
      expect.arrayContaining(['apis/orders;rev=1/operations/get', 'apis/orders;rev=1/operations/old', 'apis/orders;rev=2/operations/old']),
    );
    expect(plan.writes.filter((w) => w.op === 'delete')).toHaveLength(3);
  });

  it('releases the snapshot current revision where another is current: made first, released, then the API, then the former current one', () => {
    const existing = [
      api('apis/orders', '2', { serviceUrl: 'https://orders.old.example' }),
      operation('apis/orders/operations/get'),
      api('apis/orders;rev=1', '1'),
      release('apis/orders/releases/z-rollout', 'orders;rev=1'),
    ];
    const plan = planApply(snapshot, target(existing));
    const early = plan.writes.filter((w) => w.op !== 'delete' && w.wave < 5);
    expect(early.map((w) => `${w.op} ${w.path}`)).toEqual([
      'create apis/orders-v2',
      'create apis/orders;rev=3',
      'create apis/orders/releases/r3',
      'change apis/orders',
      'change apis/orders;rev=2',
    ]);
    // Revision 3 starts as a copy of revision 2, whose operation the snapshot's revision 3 has too: nothing to delete.
    expect(plan.writes.filter((w) => w.op === 'delete')).toEqual([]);
    // The snapshot's own release r3 switches it: no temporary release.
    expect(plan.writes.filter((w) => w.path.includes('apim-dr-current'))).toEqual([]);
  });

  it('switches through a temporary release, deleted at the end, when the snapshot has no new release of its current revision', () => {
    const existing = [
      api('apis/orders', '2'),
      api('apis/orders;rev=3', '3'),
      release('apis/orders/releases/r3', 'orders;rev=3'),
      release('apis/orders/releases/z-rollout', 'orders;rev=1'),
      release('apis/orders/releases/apim-dr-current', 'orders;rev=2'),
    ];
    const plan = planApply(snapshot, target(existing), { mirror: true });
    const releases = plan.writes.filter((w) => w.path.includes('/releases/'));
    // A leftover of an earlier run is not reused (only creating a release makes its revision current).
    expect(releases).toEqual([
      { op: 'create', path: 'apis/orders/releases/apim-dr-current-1', wave: 4.9 },
      { op: 'delete', path: 'apis/orders/releases/apim-dr-current', wave: 4.8 },
      { op: 'delete', path: 'apis/orders/releases/apim-dr-current-1', wave: 4.8 },
    ]);
    expect(plan.writes.filter((w) => w.wave < 5 && w.op !== 'delete').map((w) => w.path)).toContain('apis/orders;rev=1');
  });

  it('adds no temporary release when the releases it creates end on the snapshot current revision', () => {
    expect(planApply(snapshot, target([])).writes.filter((w) => w.path.includes('apim-dr-current'))).toEqual([]);
  });
});
