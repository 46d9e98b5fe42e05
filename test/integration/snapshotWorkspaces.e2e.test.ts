import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readConfiguration } from '../../src/azure/snapshot/readConfiguration';
import { canonicalServiceId, parseServiceId } from '../../src/domain/resourceId';
import { removeResource, seedResource, setPageSize } from '../../dev/sandbox/configApi';
import { DEMO_WORKSPACE, seedDemoWorkspace } from '../../dev/sandbox/demoV2';
import type { RunningSandbox } from '../../dev/sandbox/startSandbox';
import { applySnapshot, checkSnapshotApply } from '../../src/workflows/snapshot/applySnapshot';
import { planSnapshotParts } from '../../src/workflows/snapshot/snapshotParts';
import { takeSnapshot } from '../../src/workflows/snapshot/takeSnapshot';
import { seedFullConfiguration } from '../support/configSeed';
import { runToCompletion, startHarness, type Harness } from '../support/harness';
import { checkOverHttp } from '../support/snapshotCheck';
import { emptyInstance, idOf, V2, V2_SERVICES, V2_STANDBY, v2Config } from '../support/v2Fleet';

/** A classic Standard standby: no workspaces on that tier. */
const STANDARD = emptyInstance('contoso-apim-std-neu', 'Standard');
const STANDARD_ID = canonicalServiceId(STANDARD.subscriptionId, STANDARD.resourceGroup, STANDARD.name);

function config(sandbox: RunningSandbox): Record<string, unknown> {
  const base = v2Config(sandbox) as { services: { id: string; standbys?: { id: string; sync: string }[] }[] };
  for (const s of base.services) if (s.id.endsWith(`/${V2}`)) s.standbys = [...(s.standbys ?? []), { id: STANDARD_ID, sync: 'manual' }];
  return base;
}

const WS = `workspaces/${DEMO_WORKSPACE}`;

describe('snapshots of an instance with a workspace', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ services: [...V2_SERVICES, STANDARD], config });
    const v2 = h.sandbox.apim.service(V2);
    seedFullConfiguration(v2, { apis: 1, operations: 1 });
    seedDemoWorkspace(v2);
  });
  afterEach(async () => {
    await h.close();
  });

  const snapshot = async () => (await takeSnapshot(h.services, { serviceId: V2, trigger: 'manual', requestedBy: 'test' })).snapshotName;
  const stored = (service: string) => structuredClone(h.sandbox.apim.service(service).configuration.resources ?? {});
  const read = (service: string) => readConfiguration(h.services.configClient(parseServiceId(idOf(service))!));
  const inWorkspace = (resources: { path: string }[]) => resources.filter((r) => r.path.startsWith('workspaces/'));

  it('captures the workspace and everything under it, counted per type, whole or in parts', async () => {
    // Small pages: the workspace's lists need their nextLink followed too.
    setPageSize(h.sandbox.apim.service(V2), 2);
    const manifest = await h.services.snapshots.readManifest(await snapshot());
    expect(manifest.counts).toMatchObject({
      workspaces: 1,
      workspaceNamedValues: 1,
      workspaceBackends: 1,
      workspaceTags: 1,
      workspaceProducts: 1,
      workspacePolicy: 1,
      workspaceApis: 2,
      workspaceOperations: 4,
      workspaceApiPolicies: 2,
      workspaceOperationPolicies: 2,
      workspaceProductApiLinks: 2,
      workspaceTagApiLinks: 2,
      workspaceTagOperationLinks: 1,
    });
    // Standard v2 has workspaces (only self-hosted gateways are missing).
    expect(manifest.unreadable.map((u) => u.type)).toEqual(['gateways']);
    const document = await h.services.snapshots.readDocument(manifest);
    // A link names its other end relative to the instance, rewritten to the target's on apply.
    expect(document.resources.find((r) => r.path === `${WS}/products/partner-plan/apiLinks/partner-orders`)?.properties).toEqual({
      apiId: `/${WS}/apis/partner-orders`,
    });

    // In parts: the workspace without its APIs, then its APIs a page at a time, as the service's.
    const plan = await planSnapshotParts(h.services, { serviceId: V2, trigger: 'manual', requestedBy: 'test' });
    expect(plan.parts.filter((p) => 'workspace' in p)).toEqual([
      { workspace: DEMO_WORKSPACE },
      { workspace: DEMO_WORKSPACE, apis: ['partner-invoices', 'partner-orders'] },
    ]);
    const response = await h.api('POST', '/api/snapshots', { service: V2 });
    const instance = await runToCompletion(h, response.body.id);
    expect(instance.runtimeStatus).toBe('Completed');
    const parts = (await h.services.snapshots.readManifest((instance.output as { snapshotName: string }).snapshotName)).counts;
    expect(parts).toEqual(manifest.counts);
  });

  it('makes an empty v2 standby hold the same workspace as its source, waiting out a new workspace’s 500s', async () => {
    const name = await snapshot();
    const check = await checkSnapshotApply(h.services, { snapshotName: name, target: V2_STANDBY, requestedBy: 'test' });
    expect(check.skipped.filter((s) => s.path.startsWith('workspaces/'))).toEqual([]);
    const record = await applySnapshot(h.services, { snapshotName: name, target: V2_STANDBY, requestedBy: 'test', requestedAt: h.clock.now().toISOString() });
    expect(record.failed).toEqual([]);
    expect(record.verification?.mismatched).toEqual([]);
    // The workspace was new on the standby: its lists answered 500 before they settled, and the reads asked again.
    expect(h.sandbox.apim.count('config.notready', V2_STANDBY)).toBeGreaterThan(0);
    const source = inWorkspace((await read(V2)).resources);
    expect(source.length).toBeGreaterThan(20);
    expect(inWorkspace((await read(V2_STANDBY)).resources)).toEqual(source);
    expect(h.sandbox.apim.service(V2_STANDBY).configuration.resources?.[`${WS}/tags/partner/apilinks/partner-orders`]?.properties.apiId).toBe(
      `${idOf(V2_STANDBY)}/${WS}/apis/partner-orders`,
    );
  });

  it('brings back a deleted workspace API with --only, touching nothing else', async () => {
    const name = await snapshot();
    const before = stored(V2);
    removeResource(h.sandbox.apim.service(V2), `${WS}/apis/partner-orders`);
    const afterDelete = stored(V2);
    // Its 2 operations, 2 policies and the 3 links that named it or its operation went with it.
    expect(Object.keys(before).length - Object.keys(afterDelete).length).toBe(8);

    const only = [`${WS}/apis/partner-orders`];
    const check = await checkSnapshotApply(h.services, { snapshotName: name, target: V2, only, requestedBy: 'test' });
    expect(check.verdict).toBe('Fully restorable');
    expect(check.counts).toMatchObject({ create: 8, change: 0, delete: 0 });

    const response = await h.api('POST', '/api/snapshots/apply', { snapshot: name, target: V2, only, confirm: V2 });
    const instance = await runToCompletion(h, response.body.id);
    expect(instance.runtimeStatus).toBe('Completed');
    expect(instance.output).toMatchObject({ state: 'succeeded', verification: { mismatched: [] } });

    const after = stored(V2);
    const content = (r: Record<string, { properties: unknown }>) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v.properties]));
    expect(content(after)).toEqual(content(before));
    for (const [key, resource] of Object.entries(afterDelete)) expect(after[key]?.etag, key).toBe(resource.etag);
  });

  it('refuses, before any write, a workspace API with more operations than the v2 target allows per API', async () => {
    // Held in the source only as an instance of a tier without that limit would hold it (seeded past the sandbox's check).
    const v2 = h.sandbox.apim.service(V2);
    for (let i = 0; i < 99; i++)
      seedResource(v2, `${WS}/apis/partner-orders/operations/more-${i}`, { displayName: `more ${i}`, method: 'GET', urlTemplate: `/more/${i}` });
    const name = await snapshot();
    const check = await checkSnapshotApply(h.services, { snapshotName: name, target: V2_STANDBY, requestedBy: 'test' });
    expect(check.verdict).toBe('Not restorable');
    expect(check.findings.filter((f) => f.code === 'TierLimit')).toEqual([
      expect.objectContaining({
        resource: `${WS}/apis/partner-orders/operations`,
        message: `StandardV2 allows 100 operations per API; ${WS}/apis/partner-orders would have 101`,
        fix: expect.stringContaining('--only'),
      }),
    ]);
    const puts = h.sandbox.apim.count('config.put');
    await expect(
      applySnapshot(h.services, { snapshotName: name, target: V2_STANDBY, requestedBy: 'test', requestedAt: h.clock.now().toISOString() }),
    ).rejects.toMatchObject({ kind: 'refused', code: 'NotRestorable' });
    expect(h.sandbox.apim.count('config.put')).toBe(puts);
  });

  it('brings back a whole deleted workspace with --only workspaces/<w>, and nothing of the service', async () => {
    const name = await snapshot();
    const before = stored(V2);
    removeResource(h.sandbox.apim.service(V2), WS);
    const afterDelete = stored(V2);
    expect(Object.keys(afterDelete).some((k) => k.startsWith('workspaces/'))).toBe(false);
    const record = await applySnapshot(h.services, {
      snapshotName: name,
      target: V2,
      only: [WS],
      requestedBy: 'test',
      requestedAt: h.clock.now().toISOString(),
    });
    expect(record.failed).toEqual([]);
    expect(record.verification?.mismatched).toEqual([]);
    const after = stored(V2);
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
    for (const [key, resource] of Object.entries(afterDelete)) expect(after[key]?.etag, key).toBe(resource.etag);
  });

  it('names workspaces as not carried by a classic Standard target, with the fix, and writes none there', async () => {
    const name = await snapshot();
    const response = await checkOverHttp(h, { snapshot: name, target: STANDARD.name });
    expect(response.status).toBe(202);
    expect(response.body.verdict).toBe('Partially restorable');
    const finding = response.body.findings.find((f: { code: string; resource?: string }) => f.code === 'UnsupportedOnTier' && f.resource === 'workspaces');
    expect(finding).toMatchObject({ severity: 'partial' });
    expect(finding.message).toMatch(/^Standard has no workspaces \(ARM answers MethodNotAllowedInPricingTier\): \d+ resources cannot be carried$/);
    expect(finding.fix).toContain('BasicV2, StandardV2, Premium, PremiumV2');
    expect(response.body.skipped).toEqual(expect.arrayContaining([{ path: `${WS}/apis/partner-orders`, code: 'MethodNotAllowedInPricingTier' }]));

    const record = await applySnapshot(h.services, {
      snapshotName: name,
      target: STANDARD.name,
      requestedBy: 'test',
      requestedAt: h.clock.now().toISOString(),
    });
    expect(record.failed).toEqual([]);
    expect(Object.keys(h.sandbox.apim.service(STANDARD.name).configuration.resources ?? {}).some((k) => k.startsWith('workspaces/'))).toBe(false);
    // And the sandbox, as ARM, refuses workspaces on that tier.
    await expect(h.services.configClient(parseServiceId(STANDARD_ID)!).list('workspaces')).rejects.toMatchObject({
      status: 400,
      code: 'MethodNotAllowedInPricingTier',
    });
  });

  it('says when a workspace name is taken on the target or a workspace names a Key Vault secret', async () => {
    seedResource(h.sandbox.apim.service(V2), `${WS}/namedValues/partner-kv`, {
      displayName: 'partner-kv',
      secret: true,
      keyVault: { secretIdentifier: 'https://contoso-kv.vault.azure.net/secrets/partner', identityClientId: null },
    });
    const name = await snapshot();
    // The standby already has a service-level API of the workspace API's name.
    seedResource(h.sandbox.apim.service(V2_STANDBY), 'apis/partner-invoices', { displayName: 'x', path: 'x', protocols: ['https'] });
    const check = await checkSnapshotApply(h.services, { snapshotName: name, target: V2_STANDBY, requestedBy: 'test' });
    const codes = check.findings.map((f) => `${f.code} ${f.resource}`);
    expect(codes).toEqual(expect.arrayContaining([`NameTaken ${WS}/apis/partner-invoices`, `WorkspaceKeyVault ${WS}/namedValues/partner-kv`]));
    expect(check.skipped).toEqual(expect.arrayContaining([{ path: `${WS}/apis/partner-invoices`, code: 'NameTaken' }]));
  });
});
