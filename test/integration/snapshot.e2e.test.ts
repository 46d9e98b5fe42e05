import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setPageSize } from '../../dev/sandbox/configApi';
import { takeSnapshot } from '../../src/workflows/snapshot/takeSnapshot';
import { SEEDED_SECRETS, seedCache, seedFullConfiguration, seedWorkspaceSecrets } from '../support/configSeed';
import { runToCompletion, startHarness, type Harness } from '../support/harness';

const WEU = 'contoso-apim-weu';

describe('taking a configuration snapshot', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
    const weu = h.sandbox.apim.service(WEU);
    seedFullConfiguration(weu, { apis: 3, operations: 4 });
    // Small pages: every list needs its nextLink followed.
    setPageSize(weu, 2);
  });
  afterEach(async () => {
    await h.close();
  });

  it('reads every page of every type and records counts, hash and what it left out', async () => {
    const summary = await takeSnapshot(h.services, { serviceId: WEU, trigger: 'manual', requestedBy: 'alice@contoso.example' });
    const manifest = await h.services.snapshots.readManifest(summary.snapshotName);
    // The sample's apis (orders, payments, catalog) plus api-1 and api-2; starter and unlimited are built in.
    expect(manifest.counts).toMatchObject({ apis: 5, operations: 12, operationPolicies: 12, apiPolicies: 3, productApis: 3, namedValues: 5, products: 1 });
    expect(manifest.contentHash).toMatch(/^sha256:/);
    expect(manifest.unreadable).toEqual([]);
    const document = await h.services.snapshots.readDocument(manifest);
    expect(document.resources.find((r) => r.path === 'apis/orders')?.properties).toMatchObject({
      apiVersionSetId: '/apiVersionSets/orders-vs',
      path: 'orders',
    });
    expect(document.resources.find((r) => r.path === 'namedValues/kv-key')?.properties?.keyVault).toEqual({
      secretIdentifier: 'https://contoso-kv.vault.azure.net/secrets/orders-key',
      identityClientId: null,
    });
    const left = manifest.notCaptured.map((n) => `${n.path} ${n.what}`);
    expect(left).toEqual(
      expect.arrayContaining([
        'namedValues/orders-key value',
        'subscriptions/partner-sub primaryKey, secondaryKey',
        'certificates/client data, password',
        'identityProviders/aad clientSecret',
        'authorizationServers/oauth clientSecret',
        'backends/orders-backend credentials.header.x-api-key',
        'backends/orders-backend proxy.password',
        'apis/orders/policies/policy set-header Authorization',
        'apis/orders/policies/policy authentication password',
        'apis/orders/policies/policy AccountKey',
        'loggers/appinsights credentials.instrumentationKey',
      ]),
    );
    expect(manifest.notCaptured.find((n) => n.path === 'namedValues/orders-key')?.fix).toBe('move it to Key Vault or supply it at apply');
    // Built-in products (starter, unlimited) are not captured; reads are one per page and per singleton.
    expect(document.resources.some((r) => r.path === 'products/starter')).toBe(false);
    expect(h.sandbox.apim.count('config.list', WEU) + h.sandbox.apim.count('config.get', WEU)).toBe(manifest.armRequests - 1);
  });

  it('writes no secret in clear to any blob', async () => {
    // A workspace's secrets too: its secret named value, its backend's literal key, its subscription's key.
    seedWorkspaceSecrets(h.sandbox.apim.service(WEU));
    // An external cache: its connection string lives in a secret named value APIM made of it, the cache naming it.
    seedCache(h.sandbox.apim.service(WEU));
    const stored = Object.values(h.sandbox.apim.service(WEU).configuration.resources!);
    expect(stored.some((r) => r.properties.value === SEEDED_SECRETS.cacheConnection)).toBe(true);
    const summary = await takeSnapshot(h.services, { serviceId: WEU, trigger: 'manual', requestedBy: 'alice@contoso.example' });
    expect(summary.counts).toMatchObject({ workspaces: 1, workspaceNamedValues: 1, workspaceBackends: 1, workspaceSubscriptions: 1 });
    const left = (await h.services.snapshots.readManifest(summary.snapshotName)).notCaptured.map((n) => `${n.path} ${n.what}`);
    expect(left).toEqual(
      expect.arrayContaining([
        'workspaces/team/namedValues/team-key value',
        'workspaces/team/backends/team-backend credentials.header.x-api-key',
        'workspaces/team/subscriptions/team-sub primaryKey, secondaryKey',
        'caches/default connectionString',
      ]),
    );
    const texts: string[] = [];
    // Every blob of both containers: the backups' and the state container, where snapshots live.
    for (const container of [h.sandbox.container(), h.sandbox.stateContainer()]) {
      for await (const blob of container.listBlobsFlat()) {
        const buffer = await container.getBlockBlobClient(blob.name).downloadToBuffer();
        texts.push(blob.name.endsWith('.gz') ? gunzipSync(buffer).toString('utf8') : buffer.toString('utf8'));
      }
    }
    expect(texts.length).toBeGreaterThanOrEqual(2);
    const all = texts.join('\n');
    expect(all).toContain('{{orders-key}}');
    for (const [kind, secret] of Object.entries(SEEDED_SECRETS)) expect(all.includes(secret), `${kind} found in clear`).toBe(false);
  });

  it('waits out ARM throttling by Retry-After instead of failing', async () => {
    h.sandbox.apim.faults.add({ method: 'GET', path: /\/apis\/[^/]+\/operations$/, fault: { kind: 'status', status: 429, retryAfterSeconds: 1 }, times: 4 });
    const summary = await takeSnapshot(h.services, { serviceId: WEU, trigger: 'manual', requestedBy: 'test' });
    expect(summary.counts.operations).toBe(12);
    expect(h.sandbox.apim.count('fault.429')).toBe(4);
  });

  it('takes a snapshot over HTTP as a Durable orchestration and lists it, with only the summary in the payload', async () => {
    const response = await h.api('POST', '/api/snapshots', { service: WEU });
    expect(response.status).toBe(202);
    expect(response.body.id).toMatch(/^snapshot-contoso-apim-weu-[0-9a-f]{8}$/);
    const instance = await runToCompletion(h, response.body.id);
    expect(instance.runtimeStatus).toBe('Completed');
    const summary = instance.output as { snapshotName: string; resourceCount: number };
    expect(JSON.stringify(summary).length).toBeLessThan(2_000);
    const listed = await h.api('GET', `/api/snapshots?service=${WEU}`);
    expect(listed.body.snapshots.map((s: { snapshotName: string }) => s.snapshotName)).toEqual([summary.snapshotName]);
    expect((await h.api('GET', `/api/operations/${response.body.id}`)).body.runtimeStatus).toBe('Completed');
    expect((await h.api('POST', '/api/snapshots', { service: 'not-configured' })).status).toBe(404);
  });

  it("retires snapshots past snapshotRetention beyond the newest kept, and never a blob that is not apim-dr's", async () => {
    const foreign = h.sandbox.stateContainer().getBlockBlobClient('snapshots/contoso-apim-weu.20200101T000000Z.manual.manifest.json');
    await foreign.upload('{}', 2);
    const first = await takeSnapshot(h.services, { serviceId: WEU, trigger: 'manual', requestedBy: 'test' });
    await h.clock.advance(100 * 86_400_000);
    const kept = (await h.services.snapshots.list(WEU)).map((e) => e.snapshotName);
    expect(kept).toEqual([first.snapshotName]);
    for (let i = 0; i < 10; i++) await takeSnapshot(h.services, { serviceId: WEU, trigger: 'manual', requestedBy: 'test' });
    // The default keeps the newest 10: the first, 100 days old, goes; the foreign blob stays.
    const after = (await h.services.snapshots.list(WEU)).map((e) => e.snapshotName);
    expect(after).toHaveLength(10);
    expect(after).not.toContain(first.snapshotName);
    expect(await foreign.exists()).toBe(true);
  });

  it('keeps the newest whole snapshots through a burst of scoped ones, which go with age', async () => {
    const whole = await takeSnapshot(h.services, { serviceId: WEU, trigger: 'manual', requestedBy: 'test' });
    await h.clock.advance(100 * 86_400_000);
    // Twelve --only applies' way backs, more than the ten kept.
    const scope = { snapshotName: whole.snapshotName, only: ['apis/api-1'] };
    for (let i = 0; i < 12; i++) {
      await takeSnapshot(h.services, { serviceId: WEU, trigger: 'pre-apply', requestedBy: 'test', scope });
      await h.clock.advance(60_000);
    }
    const listed = await h.services.snapshots.list(WEU);
    expect(listed.filter((e) => e.scoped)).toHaveLength(12);
    expect(listed.map((e) => e.snapshotName)).toContain(whole.snapshotName);

    await h.clock.advance(100 * 86_400_000);
    const next = await takeSnapshot(h.services, { serviceId: WEU, trigger: 'manual', requestedBy: 'test' });
    // The scoped ones, 100 days old, are retired; both whole snapshots are among the newest ten whole ones.
    expect((await h.services.snapshots.list(WEU)).map((e) => e.snapshotName).sort()).toEqual([whole.snapshotName, next.snapshotName].sort());
  });
});
