import { describe, expect, it } from 'vitest';
import { planApply, type SnapshotSource } from '../../../../src/domain/snapshot/applyPlan';
import type { SnapshotResource } from '../../../../src/domain/snapshot/captureResource';
import { parseOverrideTarget, standbyOverrideList, standbyOverrides } from '../../../../src/domain/snapshot/valueOverrides';
import { withOverrides } from '../../../../src/workflows/snapshot/applySupplies';

const SOURCE_ID = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ApiManagement/service/src';
const TARGET = { id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ApiManagement/service/dst', name: 'dst', tier: 'StandardV2', resources: [] };
const RESOURCES: SnapshotResource[] = [
  { path: 'backends/orders', properties: { url: 'https://orders.weu.example', protocol: 'http' } },
  { path: 'apis/orders', properties: { displayName: 'Orders', path: 'orders', serviceUrl: 'https://orders-api.weu.example' } },
];
const NEU = { path: 'backends/orders', field: 'url', value: 'https://orders.neu.example' };

/** The dry run as prepareApply runs it: the snapshot as overridden, and which fields the overrides set. */
function plan(overrides: { path: string; field: string; value: string }[]) {
  const source: SnapshotSource = { id: SOURCE_ID, tier: 'StandardV2', resources: withOverrides(RESOURCES, overrides), notCaptured: [] };
  return planApply(source, TARGET, { overridden: overrides });
}
const notices = (code: string, p: ReturnType<typeof planApply>) => p.findings.filter((f) => f.code === code).map((f) => f.message);

describe('overridden environment values in the dry run', () => {
  it("calls each of the source's environment values the source's", () => {
    expect(notices('EnvironmentValue', plan([]))).toEqual([
      "backends/orders: url is 'https://orders.weu.example', the source's",
      "apis/orders: serviceUrl is 'https://orders-api.weu.example', the source's",
    ]);
  });

  it("calls an overridden value the target's own, and still names the source's values left as they are", () => {
    const overridden = plan([NEU]);
    expect(notices('EnvironmentValue', overridden)).toEqual(["apis/orders: serviceUrl is 'https://orders-api.weu.example', the source's"]);
    expect(notices('OverriddenValue', overridden)).toEqual(["backends/orders: url is 'https://orders.neu.example', the target's own (overridden)"]);
    expect(overridden.verdict).toBe('Fully restorable');
  });
});

describe("a standby's configured overrides", () => {
  it('reads the config as --override names them', () => {
    expect(parseOverrideTarget('workspaces/sales/backends/b.url')).toEqual({ path: 'workspaces/sales/backends/b', field: 'url' });
    expect(parseOverrideTarget('backends/orders')).toBeUndefined();
    expect(standbyOverrideList({ 'backends/orders.url': NEU.value })).toEqual([NEU]);
  });

  it("takes those of resources the snapshot holds, leaves the operator's own to win, and names one it lacks in a notice", () => {
    const operator = [{ path: 'Backends/Orders', field: 'url', value: 'https://orders.drill.example' }];
    const configured = [
      NEU,
      { path: 'apis/orders', field: 'serviceUrl', value: 'https://orders-api.neu.example' },
      { path: 'backends/gone', field: 'url', value: 'https://x.example' },
    ];
    const { overrides, findings } = standbyOverrides(RESOURCES, configured, operator, 'apim-neu');
    expect(overrides).toEqual([configured[1]]);
    expect(findings).toEqual([
      expect.objectContaining({
        severity: 'notice',
        code: 'OverrideNotInSnapshot',
        resource: 'backends/gone',
        message: expect.stringContaining('\'apim-neu\' overrides "backends/gone.url"'),
      }),
    ]);
  });
});
