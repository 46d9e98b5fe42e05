import { describe, expect, it } from 'vitest';
import { planApply, type SnapshotSource } from '../../../../src/domain/snapshot/applyPlan';
import type { SnapshotResource } from '../../../../src/domain/snapshot/captureResource';
import { limitCounter } from '../../../../src/domain/snapshot/tierLimits';

const SOURCE_ID = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ApiManagement/service/source';
const TARGET_ID = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ApiManagement/service/target';

const api = (path: string): SnapshotResource => ({ path, properties: { displayName: path, path, protocols: ['https'], apiRevision: '1' } });
const operation = (path: string): SnapshotResource => ({ path, properties: { displayName: path, method: 'GET', urlTemplate: '/x' } });
const workspace: SnapshotResource = { path: 'workspaces/team', properties: { displayName: 'team' } };
const source = (resources: SnapshotResource[]): SnapshotSource => ({ id: SOURCE_ID, tier: 'PremiumV2', notCaptured: [], resources });
const target = (tier: string, resources: SnapshotResource[] = []) => ({ id: TARGET_ID, name: 'target', tier, resources });
const limits = (plan: { findings: { code: string; resource?: string; message: string; fix: string }[] }) => plan.findings.filter((f) => f.code === 'TierLimit');
const range = (n: number) => [...Array(n).keys()];

describe('the v2 limits where a workspace counts', () => {
  it('counts per API and per product wherever they live, and per instance across the service and its workspaces', () => {
    expect(limitCounter('workspaces/team/apis/a/operations/get')).toEqual({
      pattern: 'apis/*/operations',
      group: 'workspaces/team/apis/a/operations',
      inWorkspace: true,
    });
    expect(limitCounter('workspaces/team/products/p/apilinks/l')).toMatchObject({ pattern: 'products/*/apis', group: 'workspaces/team/products/p/apilinks' });
    expect(limitCounter('workspaces/team/apis/a')).toEqual({ pattern: 'apis', group: 'apis', inWorkspace: true });
    expect(limitCounter('apis/a')).toEqual({ pattern: 'apis', group: 'apis', inWorkspace: false });
    expect(limitCounter('workspaces/team')).toBeUndefined();
  });

  it('blocks a workspace API with more operations than a v2 tier allows per API, with a fix', () => {
    const resources = [workspace, api('workspaces/team/apis/big'), ...range(101).map((i) => operation(`workspaces/team/apis/big/operations/op${i}`))];
    const plan = planApply(source(resources), target('StandardV2'));
    expect(plan.verdict).toBe('Not restorable');
    expect(limits(plan)).toEqual([
      {
        severity: 'blocking',
        code: 'TierLimit',
        resource: 'workspaces/team/apis/big/operations',
        message: 'StandardV2 allows 100 operations per API; workspaces/team/apis/big would have 101',
        fix: 'split workspaces/team/apis/big in the source (or leave it out with --only), or apply to a tier with a higher limit',
      },
    ]);
    // The classic tiers set no such count: nothing to say there.
    expect(limits(planApply(source(resources), target('Premium')))).toEqual([]);
  });

  it('blocks APIs past the instance limit only with the workspaces’ APIs, counting them with the service’s, once', () => {
    const service = range(140).map((i) => api(`apis/s${i}`));
    const inWorkspace = [workspace, ...range(11).map((i) => api(`workspaces/team/apis/w${i}`))];
    expect(limits(planApply(source([...service, ...inWorkspace]), target('BasicV2')))).toMatchObject([
      { resource: 'apis', message: "BasicV2 allows 150 apis per instance, its workspaces' included; the target would hold 151 (11 in workspaces team)" },
    ]);
    // What the target holds counts too (merge), not in mirror mode.
    expect(limits(planApply(source(inWorkspace), target('BasicV2', service)))).toHaveLength(1);
    expect(limits(planApply(source(inWorkspace), target('BasicV2', service), { mirror: true }))).toEqual([]);
    // Past the limit with the service's alone: the one finding the service's count gives.
    const more = range(151).map((i) => api(`apis/s${i}`));
    expect(limits(planApply(source([...more, ...inWorkspace]), target('BasicV2'))).map((f) => f.resource)).toEqual(['apis']);
  });
});
