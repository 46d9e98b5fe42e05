import { describe, expect, it } from 'vitest';
import { TEMPORARY_RELEASE_NOTES } from '../../../../src/domain/snapshot/apiRevisions';
import { planApply, type SnapshotSource } from '../../../../src/domain/snapshot/applyPlan';
import type { SnapshotResource } from '../../../../src/domain/snapshot/captureResource';
import { isOwnTemporaryRelease } from '../../../../src/domain/snapshot/leftoverReleases';

const SOURCE_ID = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ApiManagement/service/source';
const TARGET_ID = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ApiManagement/service/target';

const api = (path: string): SnapshotResource => ({
  path,
  properties: { displayName: path, path: path.split('/').pop(), protocols: ['https'], apiRevision: '2' },
});
const release = (path: string, apiId: string, notes?: string): SnapshotResource => ({ path, properties: { apiId, ...(notes ? { notes } : {}) } });

const snapshot: SnapshotSource = {
  id: SOURCE_ID,
  tier: 'StandardV2',
  notCaptured: [],
  resources: [
    api('apis/orders'),
    release('apis/orders/releases/r2', '/apis/orders;rev=2'),
    api('apis/invoices'),
    api('workspaces/team/apis/partner'),
    release('workspaces/team/apis/partner/releases/r2', '/workspaces/team/apis/partner;rev=2'),
  ],
};
const target = (resources: SnapshotResource[]) => ({ id: TARGET_ID, name: 'target', tier: 'StandardV2', resources });
const deletes = (writes: { op: string; path: string }[]) => writes.filter((w) => w.op === 'delete').map((w) => w.path);

describe('the temporary release an apply that died left behind', () => {
  const leftovers = [
    release('apis/orders/releases/apim-dr-current', '/apis/orders;rev=2', TEMPORARY_RELEASE_NOTES),
    release('apis/invoices/releases/apim-dr-current-2', '/apis/invoices;rev=2', TEMPORARY_RELEASE_NOTES),
    release('workspaces/team/apis/partner/releases/apim-dr-current', '/workspaces/team/apis/partner;rev=2', TEMPORARY_RELEASE_NOTES),
  ];
  const foreign = [
    // apim-dr's name with someone's notes, apim-dr's notes on another name: neither is apim-dr's.
    release('apis/orders/releases/apim-dr-current-1', '/apis/orders;rev=2', 'rolled back by hand'),
    release('apis/orders/releases/hotfix', '/apis/orders;rev=2', TEMPORARY_RELEASE_NOTES),
  ];
  const existing = [...snapshot.resources, ...leftovers, ...foreign];

  it('is apim-dr’s only with both its name and its notes', () => {
    expect(leftovers.every(isOwnTemporaryRelease)).toBe(true);
    expect(foreign.some(isOwnTemporaryRelease)).toBe(false);
  });

  it('is deleted by a merge apply, at the service and in a workspace, and nothing of anyone else’s', () => {
    const plan = planApply(snapshot, target(existing));
    expect(deletes(plan.writes).sort()).toEqual(leftovers.map((r) => r.path).sort());
    expect(plan.counts).toMatchObject({ create: 0, change: 0 });
  });

  it('is deleted under the APIs --only names, and left alone under the others', () => {
    const plan = planApply(snapshot, target(existing), { only: ['workspaces/team/apis/partner'] });
    expect(deletes(plan.writes)).toEqual(['workspaces/team/apis/partner/releases/apim-dr-current']);
  });

  it('is not carried by a snapshot that caught it', () => {
    const caught = { ...snapshot, resources: [...snapshot.resources, leftovers[0]!] };
    const plan = planApply(caught, target([]));
    expect(plan.writes.map((w) => w.path)).not.toContain('apis/orders/releases/apim-dr-current');
    expect(plan.scope).not.toContain('apis/orders/releases/apim-dr-current');
  });
});
