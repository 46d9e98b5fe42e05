import { describe, expect, it } from 'vitest';
import { planApply } from '../../../../src/domain/snapshot/applyPlan';
import type { SnapshotResource } from '../../../../src/domain/snapshot/captureResource';
import { parseServiceId } from '../../../../src/domain/resourceId';
import { toCheck } from '../../../../src/workflows/snapshot/applySnapshot';

const SOURCE = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ApiManagement/service/contoso-weu';
const TARGET = parseServiceId('/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.ApiManagement/service/contoso-neu')!;
/** The Durable Task Scheduler's largest message (docs/durable-limits.md). */
const PAYLOAD_LIMIT = 1_048_576;

/** 2,000 APIs, each with a serviceUrl of the source's region and a policy naming a secret the snapshot lacks. */
function largeInstance(apis: number): SnapshotResource[] {
  const resources: SnapshotResource[] = [{ path: 'namedValues/orders-key', properties: { displayName: 'orders-key', secret: true } }];
  for (let i = 0; i < apis; i++) {
    resources.push({ path: `apis/api-${i}`, properties: { displayName: `API ${i}`, path: `api-${i}`, serviceUrl: `https://api-${i}.weu.contoso.example` } });
    resources.push({
      path: `apis/api-${i}/policies/policy`,
      properties: { format: 'rawxml', value: '<policies><inbound><set-header name="k"><value>{{orders-key}}</value></set-header></inbound></policies>' },
    });
  }
  return resources;
}

describe("the dry run's answer for a large instance", () => {
  const resources = largeInstance(2000);
  const plan = planApply(
    {
      id: SOURCE,
      tier: 'Premium',
      resources,
      notCaptured: [{ path: 'namedValues/orders-key', what: 'value', reason: 'secret named value: not captured', fix: 'supply it at apply' }],
    },
    { id: TARGET.id, name: TARGET.name, tier: 'Premium', resources: [] },
  );

  it('stays small whatever the number of APIs, with every finding counted and the verdict unchanged', () => {
    const bounded = toCheck('snap', 'contoso-weu', TARGET, 'Premium', plan, false);
    const all = toCheck('snap', 'contoso-weu', TARGET, 'Premium', plan, false, Infinity);
    const size = (value: unknown) => Buffer.byteLength(JSON.stringify(value));
    // Measured at 2,000 APIs: 1,428,975 bytes with every finding (over the 1 MiB a Durable payload may carry); 17,841
    // bounded, of which about 10 KB are the first 200 writes.
    expect(size(all)).toBeGreaterThan(PAYLOAD_LIMIT);
    expect(size(bounded)).toBeLessThan(24 * 1024);
    expect(bounded.verdict).toBe(all.verdict);
    expect(bounded.findingGroups.reduce((n, g) => n + g.count, 0)).toBe(plan.findings.length);
    expect(bounded.findingGroups.find((g) => g.code === 'EnvironmentValue')).toMatchObject({ count: 2000, examples: expect.arrayContaining(['apis/api-0']) });
    expect(bounded.findingGroups.find((g) => g.code === 'DependencySkipped')?.count).toBe(2000);
    expect(bounded.skipped.length + bounded.skippedOmitted).toBe(plan.skipped.length);
    expect(all.findings).toEqual(plan.findings);
    expect(all.findingsOmitted).toBe(0);
  });
});
