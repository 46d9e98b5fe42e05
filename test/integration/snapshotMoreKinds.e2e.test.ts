import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readConfiguration } from '../../src/azure/snapshot/readConfiguration';
import { parseServiceId } from '../../src/domain/resourceId';
import { removeResource, seedResource } from '../../dev/sandbox/configApi';
import { parseOverride, parseSecretSupply } from '../../src/workflows/snapshot/applySupplies';
import { applySnapshot, checkSnapshotApply, type ApplyRequest } from '../../src/workflows/snapshot/applySnapshot';
import { takeSnapshot } from '../../src/workflows/snapshot/takeSnapshot';
import { CACHE_RESOURCE_ID, seedCache, seedFullConfiguration } from '../support/configSeed';
import { startHarness, type Harness } from '../support/harness';
import { idOf, V2, V2_SERVICES, V2_STANDBY, v2Config } from '../support/v2Fleet';

/** The standby's own Redis and its key, kept by the operator in an app setting. */
const STANDBY_CACHE = 'contoso-neu.redis.cache.windows.net:6380,password=standby-cache-key-3e5a7c9b1d,ssl=True';
const STANDBY_REDIS = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-redis/providers/Microsoft.Cache/redis/contoso-neu';

/** Two tag descriptions on an API, a product wiki of one documentation, an external cache. */
function seedKinds(h: Harness): void {
  const service = h.sandbox.apim.service(V2);
  seedFullConfiguration(service, { apis: 2, operations: 2 });
  seedResource(service, 'tags/beta', { displayName: 'Beta' });
  // On api-1: the orders API's policy carries literal secrets, which make any apply of it partial.
  seedResource(service, 'apis/api-1/tagDescriptions/public', { description: 'Open to everyone', externalDocsUrl: 'https://docs.contoso.example/public' });
  seedResource(service, 'apis/api-1/tagDescriptions/beta', { description: 'May change', externalDocsDescription: 'Beta terms' });
  seedResource(service, 'documentations/partner-terms', { title: 'Partner terms', content: '# Terms' });
  seedResource(service, 'products/partners/wikis/default', { documents: [{ documentationId: 'partner-terms' }] });
  seedCache(service);
}

describe('external caches, API tag descriptions and product wikis in snapshots', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ services: V2_SERVICES, config: v2Config, settings: { APIM_DR_SECRET_CACHE: STANDBY_CACHE } });
    seedKinds(h);
  });
  afterEach(async () => {
    await h.close();
  });

  const snapshot = async () => (await takeSnapshot(h.services, { serviceId: V2, trigger: 'manual', requestedBy: 'test' })).snapshotName;
  const request = (snapshotName: string, target: string, more: Partial<ApplyRequest> = {}): ApplyRequest => ({
    snapshotName,
    target,
    requestedBy: 'test',
    ...more,
  });
  const apply = (snapshotName: string, target: string, more: Partial<ApplyRequest> = {}) =>
    applySnapshot(h.services, { ...request(snapshotName, target, more), requestedAt: h.clock.now().toISOString() });
  const client = (service: string) => h.services.configClient(parseServiceId(idOf(service))!);
  const kinds = <T extends { path: string }>(resources: T[]) => resources.filter((r) => /tagDescriptions|wikis|^caches|^documentations/.test(r.path));

  it('captures them, the cache without its connection string (listed, with the flag that supplies it) and without the named value APIM made of it', async () => {
    const manifest = await h.services.snapshots.readManifest(await snapshot());
    expect(manifest.counts).toMatchObject({ caches: 1, apiTagDescriptions: 2, productWikis: 1, documentations: 1 });
    const document = await h.services.snapshots.readDocument(manifest);
    const at = (path: string) => document.resources.find((r) => r.path === path)?.properties;
    expect(at('caches/default')).toEqual({ useFromLocation: 'default', description: 'Redis in West Europe', resourceId: CACHE_RESOURCE_ID });
    // The GET echoes the tag (tagId, displayName): read-only, not kept.
    expect(at('apis/api-1/tagDescriptions/beta')).toEqual({ description: 'May change', externalDocsDescription: 'Beta terms' });
    expect(at('products/partners/wikis/default')).toEqual({ documents: [{ documentationId: 'partner-terms' }] });
    // ARM answers the cache's connection string as `{{<24-hex>}}`; that named value is the cache's, re-made by its PUT.
    const get = await client(V2).get('caches/default');
    expect(get?.item.properties?.connectionString).toMatch(/^\{\{[0-9a-f]{24}\}\}$/);
    expect(document.resources.filter((r) => /^namedValues\/[0-9a-f]{24}$/i.test(r.path))).toEqual([]);
    expect(manifest.notCaptured.filter((n) => n.path.startsWith('caches/') || /[0-9a-f]{24}/.test(n.path))).toEqual([
      {
        path: 'caches/default',
        what: 'connectionString',
        reason: 'cache connection string: not captured',
        fix: "supply it at apply (the cache's access key), or keep it in a Key Vault named value the cache names",
      },
    ]);
    expect(JSON.stringify(document)).not.toContain('cache-key-5a7c9e1b3d0f');
  });

  it('makes an empty v2 standby hold the same, the cache with the connection string supplied and its own Redis by --override', async () => {
    const name = await snapshot();
    const before = await checkSnapshotApply(h.services, request(name, V2_STANDBY));
    const cacheFindings = before.findings.filter((f) => f.resource === 'caches/default').map((f) => `${f.code} ${f.fix}`);
    expect(cacheFindings).toEqual([expect.stringMatching(/^SecretNotCaptured .*--set caches\/default\.connectionString=env:<VARIABLE> or =file:<path>/)]);
    expect(before.skipped).toContainEqual({ path: 'caches/default', code: 'SecretNotCaptured' });

    const supplied = {
      set: [{ path: 'caches/default.connectionString', from: { setting: 'APIM_DR_SECRET_CACHE' } }],
      overrides: [parseOverride(`caches/default.resourceId=${STANDBY_REDIS}`)],
    };
    const after = await checkSnapshotApply(h.services, request(name, V2_STANDBY, supplied));
    // Once it can be written, the dry run names the source's Redis and the override that points the standby at its own.
    const given = await checkSnapshotApply(h.services, request(name, V2_STANDBY, { set: supplied.set }));
    expect(given.findings.filter((f) => f.resource === 'caches/default').map((f) => `${f.code} ${f.fix}`)).toEqual([
      expect.stringMatching(/^EnvironmentValue .*--override caches\/default\.resourceId=<its value>/),
    ]);
    expect(after.skipped.filter((f) => f.path === 'caches/default')).toEqual([]);
    const record = await apply(name, V2_STANDBY, supplied);
    expect(record.failed).toEqual([]);
    expect(record.verification?.mismatched).toEqual([]);
    expect(record.supplied).toEqual(['caches/default.connectionString']);
    expect(JSON.stringify(record)).not.toContain(STANDBY_CACHE);

    const source = kinds((await readConfiguration(client(V2))).resources);
    const standby = kinds((await readConfiguration(client(V2_STANDBY))).resources);
    expect(source.map((r) => r.path)).toEqual([
      'apis/api-1/tagDescriptions/beta',
      'apis/api-1/tagDescriptions/public',
      'caches/default',
      'documentations/partner-terms',
      'products/partners/wikis/default',
    ]);
    expect(standby).toEqual(source.map((r) => (r.path === 'caches/default' ? { ...r, properties: { ...r.properties, resourceId: STANDBY_REDIS } } : r)));
    // On the standby too the connection string lives in a secret named value of its own, readable only by listValue.
    const held = (await client(V2_STANDBY).get('caches/default'))?.item.properties?.connectionString as string;
    const own = held.slice(2, -2);
    const stored = h.sandbox.apim.service(V2_STANDBY).configuration.resources![`namedvalues/${own}`]?.properties;
    expect(stored).toMatchObject({ value: STANDBY_CACHE, secret: true });
    expect(JSON.stringify((await client(V2_STANDBY).get(`namedValues/${own}`))?.item)).not.toContain('standby-cache-key');
  });

  it("brings back an API's tag descriptions, and the tag one names, with --only the API", async () => {
    const name = await snapshot();
    const service = h.sandbox.apim.service(V2);
    removeResource(service, 'apis/api-1/tagDescriptions/public');
    removeResource(service, 'apis/api-1/tagDescriptions/beta');
    removeResource(service, 'tags/beta');
    const check = await checkSnapshotApply(h.services, request(name, V2, { only: ['apis/api-1'] }));
    expect(check.verdict).toBe('Fully restorable');
    expect(check.writes.map((w) => `${w.op} ${w.path}`)).toEqual([
      'create tags/beta',
      'create apis/api-1/tagDescriptions/beta',
      'create apis/api-1/tagDescriptions/public',
    ]);
    const record = await apply(name, V2, { only: ['apis/api-1'] });
    expect(record.failed).toEqual([]);
    expect(record.verification?.mismatched).toEqual([]);
    const back = await client(V2).get('apis/api-1/tagDescriptions/beta');
    expect(back?.item.properties).toMatchObject({ description: 'May change', displayName: 'Beta', tagId: `${idOf(V2)}/tags/beta` });
    // Nothing else was touched: the product's wiki and the cache were in no need of it.
    expect(check.counts.create + check.counts.change + check.counts.delete).toBe(3);
  });

  it('mirrors: deletes a cache and a tag description the snapshot lacks, never the named value a cache of the target holds', async () => {
    const name = await snapshot();
    const standby = h.sandbox.apim.service(V2_STANDBY);
    seedResource(standby, 'caches/northeurope', { connectionString: STANDBY_CACHE, useFromLocation: 'northeurope' });
    seedResource(standby, 'tags/old', { displayName: 'Old' });
    seedResource(standby, 'apis/api-1', { displayName: 'api-1', path: 'api-1', protocols: ['https'] });
    seedResource(standby, 'apis/api-1/tagDescriptions/old', { description: 'gone from the source' });
    const own = `namedValues/${String(standby.configuration.resources!['caches/northeurope']!.properties.connectionString).slice(2, -2)}`;
    const set = [parseSecretSupply('caches/default.connectionString=env:APIM_DR_SECRET_CACHE')];
    const check = await checkSnapshotApply(h.services, request(name, V2_STANDBY, { mirror: true, set }));
    expect(check.writes.filter((w) => w.op === 'delete').map((w) => w.path)).toEqual(['apis/api-1/tagDescriptions/old', 'caches/northeurope', 'tags/old']);
    const record = await apply(name, V2_STANDBY, { mirror: true, set });
    expect(record.failed).toEqual([]);
    expect(record.verification?.mismatched).toEqual([]);
    expect(standby.configuration.resources!['caches/northeurope']).toBeUndefined();
    expect(standby.configuration.resources!['apis/api-1/tagdescriptions/old']).toBeUndefined();
    expect(standby.configuration.resources![own.toLowerCase()]).toBeUndefined();
    // The cache the apply wrote has a named value of its own, made by its PUT: the mirror left it.
    const held = String(standby.configuration.resources!['caches/default']!.properties.connectionString).slice(2, -2);
    expect(standby.configuration.resources![`namedvalues/${held}`]?.properties.value).toBe(STANDBY_CACHE);
  });

  it('applies a cache the target has unchanged without its connection string, and refuses to change it without one', async () => {
    const name = await snapshot();
    const standby = h.sandbox.apim.service(V2_STANDBY);
    seedResource(standby, 'caches/default', {
      connectionString: STANDBY_CACHE,
      useFromLocation: 'default',
      description: 'Redis in West Europe',
      resourceId: CACHE_RESOURCE_ID,
    });
    const only = { only: ['caches/default'] };
    const same = await checkSnapshotApply(h.services, request(name, V2_STANDBY, only));
    expect(same.verdict).toBe('Fully restorable');
    expect(same.counts).toMatchObject({ create: 0, change: 0, unchanged: 1 });
    seedResource(standby, 'caches/default', { connectionString: STANDBY_CACHE, useFromLocation: 'default', description: 'old', resourceId: CACHE_RESOURCE_ID });
    const changed = await checkSnapshotApply(h.services, request(name, V2_STANDBY, only));
    expect(changed.skipped).toContainEqual({ path: 'caches/default', code: 'SecretNotCaptured' });
    expect(changed.counts.change).toBe(0);
    const record = await apply(name, V2_STANDBY, { ...only, set: [parseSecretSupply('caches/default.connectionString=env:APIM_DR_SECRET_CACHE')] });
    expect(record.failed).toEqual([]);
    expect(record.counts.change).toBe(1);
    expect(standby.configuration.resources!['caches/default']!.properties.description).toBe('Redis in West Europe');
  });

  it('refuses what ARM would: a cache without its connection string (an update too) or at a made-up location, a description of a missing tag, a wiki of a missing documentation', async () => {
    const c = client(V2);
    await expect(c.put('caches/default', { properties: { useFromLocation: 'default', description: 'x' } })).rejects.toMatchObject({ status: 400 });
    await expect(c.put('caches/westeurope', { properties: { connectionString: 'x', useFromLocation: 'west europe!' } })).rejects.toMatchObject({ status: 400 });
    await expect(c.put('caches/my-cache', { properties: { connectionString: 'x', useFromLocation: 'default' } })).rejects.toMatchObject({ status: 400 });
    await expect(c.put('caches/default', { properties: { connectionString: '{{missing}}', useFromLocation: 'default' } })).rejects.toMatchObject({
      status: 400,
    });
    await expect(c.put('apis/api-1/tagDescriptions/nope', { properties: { description: 'x' } })).rejects.toMatchObject({ status: 400 });
    await expect(c.put('products/partners/wikis/default', { properties: { documents: [{ documentationId: 'missing' }] } })).rejects.toMatchObject({
      status: 400,
    });
    await expect(c.put('products/partners/wikis/other', { properties: { documents: [] } })).rejects.toMatchObject({ status: 400 });
    // A cache named after the operator's own named value keeps the reference; deleting the cache leaves that named value.
    await c.put('caches/northeurope', { properties: { connectionString: '{{backend-host}}', useFromLocation: 'northeurope' } });
    expect((await c.get('caches/northeurope'))?.item.properties?.connectionString).toBe('{{backend-host}}');
    // Deleting a cache deletes the named value APIM made of its connection string.
    const own = ((await c.get('caches/default'))?.item.properties?.connectionString as string).slice(2, -2);
    await c.delete('caches/default');
    expect(await c.get(`namedValues/${own}`)).toBeUndefined();
    expect(await c.get('namedValues/backend-host')).toBeDefined();
  });
});
