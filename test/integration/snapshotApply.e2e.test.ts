import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JsonBlobStore } from '../../src/azure/jsonBlobStore';
import { readConfiguration } from '../../src/azure/snapshot/readConfiguration';
import { applyFindingsBlob } from '../../src/domain/snapshot/applyRecord';
import { FINDING_EXAMPLES } from '../../src/domain/snapshot/boundFindings';
import { parseServiceId } from '../../src/domain/resourceId';
import { removeResource, seedResource } from '../../dev/sandbox/configApi';
import { applySnapshot, checkSnapshotApply } from '../../src/workflows/snapshot/applySnapshot';
import { takeSnapshot } from '../../src/workflows/snapshot/takeSnapshot';
import { seedFullConfiguration } from '../support/configSeed';
import { runToCompletion, startHarness, type Harness } from '../support/harness';
import { checkOverHttp } from '../support/snapshotCheck';
import { idOf, V2, V2_SERVICES, V2_STANDBY, v2Config } from '../support/v2Fleet';

const PREMIUM = 'contoso-apim-weu';

describe('applying a snapshot', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ services: V2_SERVICES, config: v2Config });
    seedFullConfiguration(h.sandbox.apim.service(V2), { apis: 3, operations: 3 });
  });
  afterEach(async () => {
    await h.close();
  });

  const snapshot = async (service: string) => (await takeSnapshot(h.services, { serviceId: service, trigger: 'manual', requestedBy: 'test' })).snapshotName;
  const stored = (service: string) => structuredClone(h.sandbox.apim.service(service).configuration.resources ?? {});
  const read = (service: string) => readConfiguration(h.services.configClient(parseServiceId(idOf(service))!));

  it('brings back one deleted API of a Standard v2 instance with --only, touching nothing else', async () => {
    const name = await snapshot(V2);
    const before = stored(V2);
    removeResource(h.sandbox.apim.service(V2), 'apis/api-1');
    const afterDelete = stored(V2);
    expect(Object.keys(afterDelete).some((k) => k.startsWith('apis/api-1'))).toBe(false);

    const reads = h.sandbox.apim.requests.length;
    const check = await checkSnapshotApply(h.services, { snapshotName: name, target: V2, only: ['apis/api-1'], requestedBy: 'test' });
    // The dry run of --only reads its scope, not the instance (a full read is over a hundred requests here).
    expect(h.sandbox.apim.requests.length - reads).toBeLessThan(25);
    expect(check.verdict).toBe('Fully restorable');
    // The API, its 3 operations and their 3 policies, its policy, schema, tag link, diagnostic, and the product's link to it;
    // what it needs (version set, tag, logger, backend, named values, product) is there already and unchanged.
    expect(check.counts).toMatchObject({ create: 12, change: 0, delete: 0, unchanged: 7 });

    const response = await h.api('POST', '/api/snapshots/apply', { snapshot: name, target: V2, only: ['apis/api-1'], confirm: V2 });
    expect(response.status).toBe(202);
    const instance = await runToCompletion(h, response.body.id);
    expect(instance.runtimeStatus).toBe('Completed');
    const record = instance.output as { state: string; verification: { mismatched: string[]; checked: number }; preApplySnapshot: string; rtoMs: number };
    expect(record, JSON.stringify(record, null, 1)).toMatchObject({ state: 'succeeded' });
    expect(record.verification).toMatchObject({ checked: 19, mismatched: [] });
    expect(record.preApplySnapshot).toMatch(/^contoso-apim-v2-weu\..*\.pre-apply$/);

    const after = stored(V2);
    const content = (r: Record<string, { properties: unknown }>) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v.properties]));
    expect(content(after)).toEqual(content(before));
    // Nothing else was written: every other resource keeps its ETag.
    for (const [key, resource] of Object.entries(afterDelete)) expect(after[key]?.etag, key).toBe(resource.etag);
  });

  it('makes an empty v2 standby equal to its source, secrets aside as reported', async () => {
    const name = await snapshot(V2);
    const check = await checkSnapshotApply(h.services, { snapshotName: name, target: V2_STANDBY, requestedBy: 'test' });
    expect(check.verdict).toBe('Partially restorable');
    const codes = check.findings.map((f) => `${f.code} ${f.resource ?? ''}`);
    expect(codes).toEqual(
      expect.arrayContaining(['SecretNotCaptured namedValues/orders-key', 'SecretNotCaptured identityProviders/aad', 'EnvironmentValue apis/orders']),
    );
    const skipped = new Set(check.skipped.map((s) => s.path));
    // The API policies name the secret named value: they wait for it to be supplied.
    expect([...skipped].sort()).toEqual([
      'apis/api-1/policies/policy',
      'apis/api-2/policies/policy',
      'apis/orders/policies/policy',
      'identityProviders/aad',
      'namedValues/orders-key',
    ]);

    const record = await applySnapshot(h.services, { snapshotName: name, target: V2_STANDBY, requestedBy: 'test', requestedAt: h.clock.now().toISOString() });
    expect(record.failed).toEqual([]);
    expect(record.verification?.mismatched).toEqual([]);
    const source = (await read(V2)).resources.filter((r) => !skipped.has(r.path));
    const standby = (await read(V2_STANDBY)).resources;
    // Redacted backend credentials are not written: the standby's backend has only the named-value reference.
    const strip = (resources: typeof source) =>
      resources.map((r) => (r.path === 'backends/orders-backend' || r.path === 'loggers/appinsights' ? { path: r.path } : r));
    expect(strip(standby)).toEqual(strip(source));
    expect(standby.find((r) => r.path === 'backends/orders-backend')?.properties?.credentials).toEqual({ header: { 'x-ref': ['{{backend-host}}'] } });
    expect(standby.find((r) => r.path === 'apis/orders')?.properties?.apiVersionSetId).toBe('/apiVersionSets/orders-vs');
    expect(h.sandbox.apim.service(V2_STANDBY).configuration.resources?.['apis/orders']?.properties.apiVersionSetId).toBe(
      `${idOf(V2_STANDBY)}/apiVersionSets/orders-vs`,
    );
  });

  it('answers and records the first findings of each kind with every one counted, and keeps them all in a blob the record names', async () => {
    seedFullConfiguration(h.sandbox.apim.service(V2), { apis: 14, operations: 1 });
    const name = await snapshot(V2);
    const request = { snapshotName: name, target: V2_STANDBY, requestedBy: 'test' };
    const check = await checkSnapshotApply(h.services, request);
    const serviceUrls = check.findingGroups.find((g) => g.code === 'EnvironmentValue' && g.fix.includes('<resource>.serviceUrl'));
    expect(serviceUrls).toMatchObject({ severity: 'notice', count: 14, examples: expect.arrayContaining(['apis/api-1']) });
    expect(serviceUrls?.examples).toHaveLength(FINDING_EXAMPLES);
    expect(check.findings.filter((f) => f.code === 'EnvironmentValue' && f.message.includes('serviceUrl'))).toHaveLength(FINDING_EXAMPLES);
    expect(check.findingsOmitted).toBeGreaterThan(0);
    const all = await checkSnapshotApply(h.services, request, { all: true });
    expect(all.findings).toHaveLength(check.findings.length + check.findingsOmitted);
    expect(all.verdict).toBe(check.verdict);

    const record = await applySnapshot(h.services, { ...request, requestedAt: h.clock.now().toISOString() });
    expect(record.findings).toEqual(check.findings);
    expect(record.findingsOmitted).toBe(check.findingsOmitted);
    expect(record.findingsBlob).toBe(applyFindingsBlob(record.recordName));
    const kept = await new JsonBlobStore(h.services.snapshots.container).readText(record.findingsBlob!);
    expect(JSON.parse(kept!.text).findings).toEqual(all.findings);
  });

  it('names what a v2 standby cannot carry when a Premium snapshot is checked against it', async () => {
    const premium = h.sandbox.apim.service(PREMIUM);
    seedFullConfiguration(premium, { apis: 1, operations: 1 });
    seedResource(premium, 'gateways/factory-floor', { locationData: { name: 'Plant 1' } });
    const name = await snapshot(PREMIUM);
    const response = await checkOverHttp(h, { snapshot: name, target: V2_STANDBY });
    expect(response.status).toBe(202);
    expect(response.body.verdict).toBe('Partially restorable');
    expect(response.body.targetTier).toBe('StandardV2');
    expect(response.body.findings).toEqual(
      expect.arrayContaining([expect.objectContaining({ code: 'UnsupportedOnTier', resource: 'gateways', severity: 'partial' })]),
    );
    expect(response.body.skipped).toEqual(expect.arrayContaining([{ path: 'gateways/factory-floor', code: 'MethodNotAllowedInPricingTier' }]));
  });

  it("refuses, before any write, a snapshot beyond the target tier's limits", async () => {
    const premium = h.sandbox.apim.service(PREMIUM);
    for (let i = 0; i < 101; i++) seedResource(premium, `tags/t${i}`, { displayName: `t${i}` });
    const name = await snapshot(PREMIUM);
    const check = await checkSnapshotApply(h.services, { snapshotName: name, target: V2_STANDBY, requestedBy: 'test' });
    expect(check.verdict).toBe('Not restorable');
    expect(check.findings.find((f) => f.code === 'TierLimit')?.message).toBe('StandardV2 allows 100 tags; the target would hold 101');
    const puts = h.sandbox.apim.count('config.put');
    await expect(
      applySnapshot(h.services, { snapshotName: name, target: V2_STANDBY, requestedBy: 'test', requestedAt: h.clock.now().toISOString() }),
    ).rejects.toMatchObject({
      kind: 'refused',
      code: 'NotRestorable',
    });
    expect(h.sandbox.apim.count('config.put')).toBe(puts);
  });

  it("counts an --only apply against the whole target's tier limits, from one count per limited collection", async () => {
    const name = await snapshot(V2);
    const service = h.sandbox.apim.service(V2);
    removeResource(service, 'apis/api-1');
    // Standard v2 holds at most 500 APIs: the target is full again without api-1.
    for (let i = 0; i < 498; i++) seedResource(service, `apis/filler-${i}`, { displayName: `filler ${i}`, path: `filler-${i}`, protocols: ['https'] });
    const reads = h.sandbox.apim.requests.length;
    const check = await checkSnapshotApply(h.services, { snapshotName: name, target: V2, only: ['apis/api-1'], requestedBy: 'test' });
    expect(check.verdict).toBe('Not restorable');
    const limit = check.findings.find((f) => f.code === 'TierLimit');
    expect(limit).toMatchObject({ severity: 'blocking', resource: 'apis', message: 'StandardV2 allows 500 apis; the target would hold 501' });
    expect(limit?.fix).toBe('the target holds 500 apis already: delete apis it no longer needs, or apply to a larger tier');
    // Still a scoped read: the counts are a page of one each, not a read of 500 APIs.
    expect(h.sandbox.apim.requests.length - reads).toBeLessThan(40);
    const puts = h.sandbox.apim.count('config.put');
    await expect(
      applySnapshot(h.services, { snapshotName: name, target: V2, only: ['apis/api-1'], requestedBy: 'test', requestedAt: h.clock.now().toISOString() }),
    ).rejects.toMatchObject({ kind: 'refused', code: 'NotRestorable' });
    expect(h.sandbox.apim.count('config.put')).toBe(puts);

    // An API the target has already is changed, not added: within the limit.
    const within = await checkSnapshotApply(h.services, { snapshotName: name, target: V2, only: ['apis/api-2'], requestedBy: 'test' });
    expect(within.findings.map((f) => f.code)).not.toContain('TierLimit');
  });

  it('deletes what the snapshot lacks only in mirror mode, and mirrors in place only with consent', async () => {
    const name = await snapshot(V2);
    seedResource(h.sandbox.apim.service(V2), 'tags/added-later', { displayName: 'later' });
    const merge = await checkSnapshotApply(h.services, { snapshotName: name, target: V2, requestedBy: 'test' });
    expect(merge.counts.delete).toBe(0);
    await expect(checkSnapshotApply(h.services, { snapshotName: name, target: V2, mirror: true, requestedBy: 'test' })).rejects.toMatchObject({
      code: 'InPlaceNotAllowed',
    });
    const record = await applySnapshot(h.services, {
      snapshotName: name,
      target: V2,
      mirror: true,
      allowInPlace: true,
      requestedBy: 'test',
      requestedAt: h.clock.now().toISOString(),
    });
    expect(record.counts.delete).toBe(1);
    expect(record.verification?.stillPresent).toEqual([]);
    expect(h.sandbox.apim.service(V2).configuration.resources?.['tags/added-later']).toBeUndefined();
    await expect(checkSnapshotApply(h.services, { snapshotName: name, target: 'contoso-apim-dev', requestedBy: 'test' })).rejects.toMatchObject({
      code: 'NotAStandby',
    });
  });
});
