import { describe, expect, it } from 'vitest';
import { planApply, type SnapshotSource } from '../../../../src/domain/snapshot/applyPlan';

const SOURCE: SnapshotSource = {
  id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ApiManagement/service/src',
  tier: 'BasicV2',
  resources: [
    { path: 'tags/new', properties: { displayName: 'new' } },
    { path: 'tags/old', properties: { displayName: 'old' } },
  ],
  notCaptured: [],
};
const target = (counts?: Record<string, number>) => ({
  id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ApiManagement/service/dst',
  name: 'dst',
  tier: 'BasicV2',
  // A scoped read: the target's tags/old, nothing of its other 99 tags.
  resources: [{ path: 'tags/old', properties: { displayName: 'old' } }],
  ...(counts ? { counts } : {}),
});

describe("an apply's tier limits counted on the whole target", () => {
  it('flags a scoped apply that adds one to a collection the target has full, with a fix that says so', () => {
    const plan = planApply(SOURCE, target({ tags: 100 }), { only: ['tags/new'] });
    expect(plan.verdict).toBe('Not restorable');
    expect(plan.findings).toEqual([
      {
        severity: 'blocking',
        code: 'TierLimit',
        resource: 'tags',
        message: 'BasicV2 allows 100 tags; the target would hold 101',
        fix: 'the target holds 100 tags already: delete tags it no longer needs, or apply to a larger tier',
      },
    ]);
  });

  it('lets a scoped apply change what the full collection holds already', () => {
    expect(planApply(SOURCE, target({ tags: 100 }), { only: ['tags/old'] }).verdict).toBe('Fully restorable');
  });

  it('counts what a scoped mirror deletes as gone', () => {
    const plan = planApply(
      SOURCE,
      { ...target({ tags: 100 }), resources: [{ path: 'tags/stale', properties: { displayName: 'stale' } }] },
      {
        only: ['tags/new'],
        mirror: true,
        mirrorWithin: ['tags/new', 'tags/stale'],
      },
    );
    expect(plan.findings.map((f) => f.code)).not.toContain('TierLimit');
  });

  it('without the whole counts sees only what was read', () => {
    expect(planApply(SOURCE, target(), { only: ['tags/new'] }).verdict).toBe('Fully restorable');
  });
});
