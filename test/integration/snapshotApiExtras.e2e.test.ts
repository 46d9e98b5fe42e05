import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readConfiguration } from '../../src/azure/snapshot/readConfiguration';
import { parseServiceId } from '../../src/domain/resourceId';
import { removeResource, seedResource } from '../../dev/sandbox/configApi';
import { applySnapshot, checkSnapshotApply } from '../../src/workflows/snapshot/applySnapshot';
import { takeSnapshot } from '../../src/workflows/snapshot/takeSnapshot';
import { seedFullConfiguration } from '../support/configSeed';
import { startHarness, type Harness } from '../support/harness';
import { idOf, V2, V2_SERVICES, V2_STANDBY, v2Config } from '../support/v2Fleet';

const GRAPHQL = 'apis/catalog-graph';

/** A GraphQL API with two resolvers (one with a policy), a wiki of two documentations, and tagged operations. */
function seedExtras(h: Harness): void {
  const service = h.sandbox.apim.service(V2);
  seedFullConfiguration(service, { apis: 2, operations: 2 });
  seedResource(service, 'tags/beta', { displayName: 'beta' });
  seedResource(service, 'apis/orders/operations/op-0/tags/public');
  seedResource(service, 'apis/orders/operations/op-0/tags/beta');
  seedResource(service, 'apis/orders/operations/op-1/tags/beta');
  seedResource(service, 'documentations/getting-started', { title: 'Getting started', content: '# Start' });
  seedResource(service, 'documentations/errors', { title: 'Errors', content: '# Errors' });
  seedResource(service, 'apis/orders/wikis/default', { documents: [{ documentationId: 'getting-started' }, { documentationId: 'errors' }] });
  seedResource(service, GRAPHQL, { displayName: 'Catalog', path: 'catalog-graph', protocols: ['https'], type: 'graphql' });
  seedResource(service, `${GRAPHQL}/resolvers/products`, { displayName: 'Query products', path: 'Query/products' });
  seedResource(service, `${GRAPHQL}/resolvers/product`, { displayName: 'Query product', path: 'Query/product', description: 'one product' });
  seedResource(service, `${GRAPHQL}/resolvers/products/policies/policy`, {
    format: 'rawxml',
    value: '<http-data-source><http-request><set-method>GET</set-method><set-url>https://{{backend-host}}/products</set-url></http-request></http-data-source>',
  });
  seedResource(service, `${GRAPHQL}/wikis/default`, { documents: [{ documentationId: 'getting-started' }] });
}

describe('operation tags, GraphQL resolvers and API wikis in snapshots', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ services: V2_SERVICES, config: v2Config });
    seedExtras(h);
  });
  afterEach(async () => {
    await h.close();
  });

  const snapshot = async () => (await takeSnapshot(h.services, { serviceId: V2, trigger: 'manual', requestedBy: 'test' })).snapshotName;
  const apply = (snapshotName: string, target: string, only?: string[]) =>
    applySnapshot(h.services, { snapshotName, target, ...(only ? { only } : {}), requestedBy: 'test', requestedAt: h.clock.now().toISOString() });
  const read = (service: string) => readConfiguration(h.services.configClient(parseServiceId(idOf(service))!));
  const extras = (paths: string[]) =>
    paths.filter((p) => (/\/tags\/[^/]+$/.test(p) && p.includes('/operations/')) || /resolvers|wikis|^documentations/.test(p)).sort();

  it('captures them, counted per type, reading operation tags once per API and resolvers only under a GraphQL API', async () => {
    const name = await snapshot();
    const manifest = await h.services.snapshots.readManifest(name);
    expect(manifest.counts).toMatchObject({ operationTags: 3, resolvers: 2, resolverPolicies: 1, apiWikis: 2, documentations: 2 });
    const service = h.sandbox.apim.service(V2);
    const lists = async () => {
      const before = h.sandbox.apim.count('config.list');
      await read(V2);
      return h.sandbox.apim.count('config.list') - before;
    };
    const base = await lists();
    // Five more operations, each tagged: their tags come with the API's one operationsByTags list, not a list each.
    for (let i = 2; i < 7; i++) {
      seedResource(service, `apis/orders/operations/op-${i}`, { displayName: `op ${i}`, method: 'GET', urlTemplate: `/op-${i}` });
      seedResource(service, `apis/orders/operations/op-${i}/tags/beta`);
    }
    expect(await lists()).toBe(base);
    // A plain API costs one list fewer than a GraphQL one: no resolvers list.
    seedResource(service, 'apis/plain', { displayName: 'plain', path: 'plain', protocols: ['https'] });
    const withPlain = await lists();
    seedResource(service, 'apis/graph-2', { displayName: 'graph 2', path: 'graph-2', protocols: ['https'], type: 'graphql' });
    expect((await lists()) - withPlain).toBe(withPlain - base + 1);
    const document = await h.services.snapshots.readDocument(manifest);
    expect(document.resources.find((r) => r.path === 'apis/orders/wikis/default')?.properties).toEqual({
      documents: [{ documentationId: 'getting-started' }, { documentationId: 'errors' }],
    });
  });

  it('makes an empty v2 standby hold the same tags, resolvers and wikis', async () => {
    const name = await snapshot();
    const record = await apply(name, V2_STANDBY);
    expect(record.failed).toEqual([]);
    expect(record.verification?.mismatched).toEqual([]);
    const source = (await read(V2)).resources.filter((r) => extras([r.path]).length);
    const standby = (await read(V2_STANDBY)).resources.filter((r) => extras([r.path]).length);
    expect(standby).toEqual(source);
    expect(source.length).toBe(10);
  });

  it('brings a deleted GraphQL API back with --only: its resolvers, their policy, its wiki and the documentation it lists', async () => {
    const name = await snapshot();
    const service = h.sandbox.apim.service(V2);
    removeResource(service, GRAPHQL);
    removeResource(service, 'documentations/getting-started');
    removeResource(service, 'apis/orders/wikis/default');
    const check = await checkSnapshotApply(h.services, { snapshotName: name, target: V2, only: [GRAPHQL], requestedBy: 'test' });
    expect(check.verdict).toBe('Fully restorable');
    expect(check.writes.map((w) => `${w.op} ${w.path}`)).toEqual([
      'create documentations/getting-started',
      `create ${GRAPHQL}`,
      `create ${GRAPHQL}/resolvers/product`,
      `create ${GRAPHQL}/resolvers/products`,
      `create ${GRAPHQL}/wikis/default`,
      `create ${GRAPHQL}/resolvers/products/policies/policy`,
    ]);
    const record = await apply(name, V2, [GRAPHQL]);
    expect(record.failed).toEqual([]);
    expect(record.verification?.mismatched).toEqual([]);
    // The orders API's wiki was not in scope: it stays deleted.
    expect(service.configuration.resources?.['apis/orders/wikis/default']).toBeUndefined();
  });

  it('brings back a tag of an operation with --only the API, and the sandbox refuses what ARM would', async () => {
    const name = await snapshot();
    const service = h.sandbox.apim.service(V2);
    removeResource(service, 'apis/orders/operations/op-1/tags/beta');
    const record = await apply(name, V2, ['apis/orders']);
    expect(record.counts.create).toBe(1);
    expect(service.configuration.resources?.['apis/orders/operations/op-1/tags/beta']).toBeDefined();

    const client = h.services.configClient(parseServiceId(idOf(V2))!);
    await expect(client.put('apis/orders/resolvers/r', { properties: { displayName: 'r', path: 'Query/r' } })).rejects.toMatchObject({ status: 400 });
    await expect(client.put('apis/orders/wikis/default', { properties: { documents: [{ documentationId: 'missing' }] } })).rejects.toMatchObject({
      status: 400,
    });
    await expect(client.put('apis/orders/wikis/other', { properties: { documents: [] } })).rejects.toMatchObject({ status: 400 });
  });
});
