import { describe, expect, it } from 'vitest';
import { dependenciesOf, planApply, type SnapshotSource } from '../../../../src/domain/snapshot/applyPlan';
import type { SnapshotResource } from '../../../../src/domain/snapshot/captureResource';

const SOURCE_ID = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ApiManagement/service/src';
const TARGET = { id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ApiManagement/service/dst', name: 'dst' };
const WS = 'workspaces/team';

const policy = (value: string) => ({ format: 'rawxml', value });
const source = (resources: SnapshotResource[]): SnapshotSource => ({ id: SOURCE_ID, tier: 'StandardV2', resources, notCaptured: [] });

/** A workspace with an API, its policy naming the workspace's backend, and a tag linked to the API by ID. */
const workspace: SnapshotResource[] = [
  { path: WS, properties: { displayName: 'Team' } },
  { path: `${WS}/backends/team-backend`, properties: { url: 'https://team.example', protocol: 'http' } },
  { path: `${WS}/apis/a`, properties: { displayName: 'a', path: 'a' } },
  { path: `${WS}/apis/a/policies/policy`, properties: policy('<policies><inbound><set-backend-service backend-id="team-backend" /></inbound></policies>') },
  { path: `${WS}/tags/t`, properties: { displayName: 't' } },
  { path: `${WS}/tags/t/apiLinks/l`, properties: { apiId: `/${WS}/apis/a` } },
  { path: 'apis/outside', properties: { displayName: 'outside', path: 'outside' } },
];

describe('planning an apply of a snapshot with a workspace', () => {
  it("resolves a workspace policy's references in the workspace, and a link's end from its body", () => {
    expect(dependenciesOf(workspace[3]!)).toEqual([WS, `${WS}/apis/a`, `${WS}/backends/team-backend`].map((p) => p.toLowerCase()));
    expect(dependenciesOf(workspace[5]!)).toEqual([WS, `${WS}/tags/t`, `${WS}/apis/a`].map((p) => p.toLowerCase()));
  });

  it('writes the workspace before what lives in it, and --only a workspace API takes its links and the workspace along', () => {
    const plan = planApply(source(workspace), { ...TARGET, tier: 'StandardV2', resources: [] }, { only: [`${WS}/apis/a`] });
    expect(plan.verdict).toBe('Fully restorable');
    expect(plan.writes.map((w) => `${w.wave} ${w.path}`)).toEqual([
      `0 ${WS}`,
      `1 ${WS}/tags/t`,
      `2 ${WS}/backends/team-backend`,
      `4 ${WS}/apis/a`,
      `5 ${WS}/tags/t/apiLinks/l`,
      `6 ${WS}/apis/a/policies/policy`,
    ]);
  });

  it('--only a workspace selects all of it and nothing of the service', () => {
    const plan = planApply(source(workspace), { ...TARGET, tier: 'PremiumV2', resources: [] }, { only: [WS] });
    expect(plan.scope).toHaveLength(6);
    expect(plan.scope).not.toContain('apis/outside');
  });

  it('names workspaces as not carried into a Developer instance, with the tiers that have them', () => {
    const plan = planApply(source(workspace), { ...TARGET, tier: 'Developer', resources: [] });
    expect(plan.verdict).toBe('Partially restorable');
    const finding = plan.findings.find((f) => f.code === 'UnsupportedOnTier');
    expect(finding).toMatchObject({
      resource: 'workspaces',
      message: 'Developer has no workspaces (ARM answers MethodNotAllowedInPricingTier): 6 resources cannot be carried',
    });
    expect(finding?.fix).toContain('BasicV2, StandardV2, Premium, PremiumV2');
    expect(plan.writes.map((w) => w.path)).toEqual(['apis/outside']);
  });

  it("says so when a workspace policy names the service's named value instead of its own", () => {
    const resources = [
      { path: 'namedValues/host', properties: { displayName: 'host', value: 'x', secret: false } },
      { path: WS, properties: { displayName: 'Team' } },
      {
        path: `${WS}/policies/policy`,
        properties: policy('<policies><inbound><set-header name="h"><value>{{host}}</value></set-header></inbound></policies>'),
      },
    ];
    const plan = planApply(source(resources), { ...TARGET, tier: 'StandardV2', resources: [] });
    expect(plan.findings.map((f) => `${f.code} ${f.resource}`)).toContain(`WorkspaceReference ${WS}/policies/policy`);
    expect(plan.skipped).toEqual([{ path: `${WS}/policies/policy`, code: `Needs:${WS.toLowerCase()}/namedvalues/host` }]);
  });

  it("leaves out a workspace API whose name a target's workspace already holds", () => {
    const target = [{ path: 'workspaces/other/apis/a', properties: { displayName: 'a', path: 'other-a' } }];
    const plan = planApply(source(workspace), { ...TARGET, tier: 'StandardV2', resources: target });
    expect(plan.skipped).toEqual(
      expect.arrayContaining([
        { path: `${WS}/apis/a`, code: 'NameTaken' },
        // What needs it waits for it.
        { path: `${WS}/apis/a/policies/policy`, code: `Needs:${WS}/apis/a` },
        { path: `${WS}/tags/t/apiLinks/l`, code: `Needs:${WS}/apis/a` },
      ]),
    );
  });

  it('mirrors a workspace the snapshot lacks away in one delete, last, and a workspace API it lacks within --only', () => {
    const extra = [
      { path: 'workspaces/old', properties: { displayName: 'Old' } },
      { path: 'workspaces/old/apis/x', properties: { displayName: 'x', path: 'x' } },
      { path: `${WS}/apis/stale`, properties: { displayName: 'stale', path: 'stale' } },
    ];
    const whole = planApply(source(workspace), { ...TARGET, tier: 'StandardV2', resources: [...workspace, ...extra] }, { mirror: true });
    expect(whole.writes).toEqual([
      { op: 'delete', path: `${WS}/apis/stale`, wave: 4 },
      { op: 'delete', path: 'workspaces/old', wave: 0 },
    ]);
    const scoped = planApply(source(workspace), { ...TARGET, tier: 'StandardV2', resources: [...workspace, ...extra] }, { mirror: true, only: [WS] });
    expect(scoped.writes).toEqual([{ op: 'delete', path: `${WS}/apis/stale`, wave: 4 }]);
  });
});
