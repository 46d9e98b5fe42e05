import { describe, expect, it } from 'vitest';
import { dependenciesOf, planApply, type SnapshotSource } from '../../../../src/domain/snapshot/applyPlan';
import { captureResource, REDACTED, type SnapshotResource } from '../../../../src/domain/snapshot/captureResource';
import { typeOfPath } from '../../../../src/domain/snapshot/resourceTypes';
import { isSuppliable, supplyFlags } from '../../../../src/domain/snapshot/secretFields';

const SOURCE_ID = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ApiManagement/service/src';
const TARGET = { id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ApiManagement/service/dst', name: 'dst', tier: 'StandardV2' };
const REDIS = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Cache/redis/weu';

const capture = (path: string, properties: Record<string, unknown>) => captureResource(typeOfPath(path)!, path, properties, SOURCE_ID);
const cache: SnapshotResource = { path: 'caches/default', properties: { useFromLocation: 'default', resourceId: REDIS } };
const leftOut = { path: 'caches/default', what: 'connectionString', reason: 'cache connection string: not captured', fix: 'supply it at apply' };
const source = (resources: SnapshotResource[], notCaptured = [leftOut]): SnapshotSource => ({ id: SOURCE_ID, tier: 'StandardV2', resources, notCaptured });

describe('capturing caches, tag descriptions and product wikis', () => {
  it("keeps no cache connection string but a reference to the operator's own named value", () => {
    for (const connectionString of ['{{5f7fbca77a891a2200f3db38}}', 'weu.redis.cache.windows.net,password=k3y,ssl=True', undefined]) {
      const captured = capture('caches/default', { connectionString, useFromLocation: 'default', resourceId: REDIS });
      expect(captured.resource?.properties).toEqual({ useFromLocation: 'default', resourceId: REDIS });
      expect(captured.notCaptured.map((n) => n.what)).toEqual(['connectionString']);
    }
    const named = capture('caches/default', { connectionString: '{{redis-connection}}', useFromLocation: 'default' });
    expect(named.resource?.properties?.connectionString).toBe('{{redis-connection}}');
    expect(named.notCaptured).toEqual([]);
  });

  it('leaves out the named value APIM makes of a connection string, and what a tag description echoes of its tag', () => {
    expect(capture('namedValues/5f7fbca77a891a2200f3db38', { displayName: 'x', secret: true })).toEqual({ notCaptured: [] });
    expect(capture('namedValues/orders-key', { displayName: 'orders-key', secret: false, value: 'v' }).resource).toBeDefined();
    // A logger's key kept the same way is then named as left out, to be supplied, not as a reference to nothing.
    const logger = capture('loggers/ai', {
      loggerType: 'applicationInsights',
      credentials: { instrumentationKey: '{{5f7fbca77a891a2200f3db39}}', x: '{{mine}}' },
    });
    expect(logger.notCaptured.map((n) => n.what)).toEqual(['credentials.instrumentationKey']);
    expect(logger.resource?.properties?.credentials).toEqual({ instrumentationKey: REDACTED, x: '{{mine}}' });
    const description = capture('apis/a/tagDescriptions/t', { tagId: `${SOURCE_ID}/tags/t`, displayName: 'T', description: 'd', externalDocsUrl: 'u' });
    expect(description.resource?.properties).toEqual({ description: 'd', externalDocsUrl: 'u' });
    expect(typeOfPath('products/p/wikis/default')?.label).toBe('productWikis');
  });

  it('lets the connection string be supplied, and names the flag', () => {
    expect(isSuppliable('caches/default', 'connectionString')).toBe(true);
    expect(isSuppliable('caches/default', 'resourceId')).toBe(false);
    expect(supplyFlags('caches/westeurope', ['connectionString'])).toContain('--set caches/westeurope.connectionString=env:<VARIABLE>');
  });
});

describe('planning caches, tag descriptions and product wikis', () => {
  it('writes a tag description after its tag, a product wiki after its documentations, a cache after the named value it names', () => {
    expect(dependenciesOf({ path: 'apis/a/tagDescriptions/beta', properties: { description: 'd' } })).toEqual(['apis/a', 'tags/beta']);
    expect(dependenciesOf({ path: 'products/p/wikis/default', properties: { documents: [{ documentationId: 'terms' }] } })).toEqual([
      'products/p',
      'documentations/terms',
    ]);
    expect(dependenciesOf({ path: 'caches/default', properties: { connectionString: '{{redis}}', useFromLocation: 'default' } })).toEqual([
      'namedvalues/redis',
    ]);
  });

  it('skips a cache it cannot write without its connection string: a new one, or one the target has otherwise', () => {
    const create = planApply(source([cache]), { ...TARGET, resources: [] });
    expect(create.skipped).toEqual([{ path: 'caches/default', code: 'SecretNotCaptured' }]);
    expect(create.verdict).toBe('Partially restorable');
    const unchanged = planApply(source([cache]), { ...TARGET, resources: [cache] });
    expect(unchanged.skipped).toEqual([]);
    expect(unchanged.counts.unchanged).toBe(1);
    const other = planApply(source([cache]), { ...TARGET, resources: [{ ...cache, properties: { ...cache.properties, description: 'old' } }] });
    expect(other.skipped).toEqual([{ path: 'caches/default', code: 'SecretNotCaptured' }]);
    // Supplied (no longer among what was not captured), it is written.
    const supplied = planApply(source([{ ...cache, properties: { ...cache.properties, connectionString: 'x' } }], []), { ...TARGET, resources: [] });
    expect(supplied.writes.map((w) => `${w.op} ${w.path}`)).toEqual(['create caches/default']);
  });

  it("names the source's Redis and a region-bound cache's location as environment values", () => {
    const regional = { path: 'caches/westeurope', properties: { useFromLocation: 'westeurope', resourceId: REDIS, connectionString: 'x' } };
    const plan = planApply(source([regional, { ...cache, properties: { ...cache.properties, connectionString: 'x' } }], []), { ...TARGET, resources: [] });
    expect(plan.findings.filter((f) => f.code === 'EnvironmentValue').map((f) => f.fix.split(' (')[0])).toEqual([
      'if the target should call its own region: --override caches/westeurope.resourceId=<its value>',
      'if the target should call its own region: --override caches/westeurope.useFromLocation=<its value>',
      'if the target should call its own region: --override caches/default.resourceId=<its value>',
    ]);
  });
});
