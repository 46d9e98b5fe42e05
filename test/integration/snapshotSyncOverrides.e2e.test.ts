import { afterEach, describe, expect, it } from 'vitest';
import { seedResource } from '../../dev/sandbox/configApi';
import { checkSnapshotApply } from '../../src/workflows/snapshot/applySnapshot';
import type { Harness } from '../support/harness';
import { startSyncedV2Standby, syncOnce } from '../support/syncedV2Standby';
import { V2, V2_STANDBY } from '../support/v2Fleet';

/** The standby's own region: what its backend and API should call after a failover. */
const NEU = { backend: 'https://orders.neu.contoso.example', serviceUrl: 'https://orders-api.neu.contoso.example/v1' };
const WEU = { backend: 'https://orders.weu.contoso.example', serviceUrl: 'https://orders-api.weu.contoso.example/v1' };
const OVERRIDES = {
  'backends/orders.url': NEU.backend,
  'apis/orders.serviceUrl': NEU.serviceUrl,
  // Not (or no longer) in the source: a notice, never a failure.
  'backends/retired.url': 'https://retired.neu.contoso.example',
};

interface SyncRecord {
  state: string;
  failed: unknown[];
  counts: { create: number; change: number };
  verification: { checked: number; mismatched: string[]; stillPresent: string[] };
  overrides?: { path: string; field: string; value: string }[];
  findings: { code: string; resource?: string; message: string }[];
}

describe('standby sync with the standby its own environment values, from the standby config', () => {
  let h: Harness;
  afterEach(async () => {
    await h.close();
  });

  async function start() {
    h = await startSyncedV2Standby({ overrides: OVERRIDES });
    const source = h.sandbox.apim.service(V2);
    seedResource(source, 'backends/orders', { url: WEU.backend, protocol: 'http' });
    seedResource(source, 'apis/orders', { displayName: 'Orders', path: 'orders', protocols: ['https'], serviceUrl: WEU.serviceUrl });
  }

  async function sync() {
    const { snapshotName, output } = await syncOnce(h);
    return { ...(output as SyncRecord), snapshotName };
  }
  const held = (service: string, path: string) => h.sandbox.apim.service(service).configuration.resources?.[path.toLowerCase()]?.properties;

  it("writes the standby's own backend URL and serviceUrl, verifies them as expected, and keeps them at the next sync", async () => {
    await start();
    const record = await sync();
    expect(record).toMatchObject({ state: 'succeeded', failed: [], verification: { mismatched: [], stillPresent: [] } });
    expect(record.verification.checked).toBeGreaterThanOrEqual(2);
    expect(held(V2_STANDBY, 'backends/orders')).toMatchObject({ url: NEU.backend });
    expect(held(V2_STANDBY, 'apis/orders')).toMatchObject({ serviceUrl: NEU.serviceUrl });
    // The source keeps its own.
    expect(held(V2, 'backends/orders')).toMatchObject({ url: WEU.backend });
    expect(record.overrides).toEqual([
      { path: 'backends/orders', field: 'url', value: NEU.backend },
      { path: 'apis/orders', field: 'serviceUrl', value: NEU.serviceUrl },
    ]);

    // The dry run calls the overridden values the standby's, names the one it could not apply, and nothing fails.
    const of = (code: string) => record.findings.filter((f) => f.code === code).map((f) => f.resource);
    expect(of('EnvironmentValue')).not.toContain('backends/orders');
    expect(of('EnvironmentValue')).not.toContain('apis/orders');
    expect(of('OverriddenValue').sort()).toEqual(['apis/orders', 'backends/orders']);
    expect(of('OverrideNotInSnapshot')).toEqual(['backends/retired']);
    expect(record.findings.some((f) => f.message.includes(WEU.backend) || f.message.includes(WEU.serviceUrl))).toBe(false);

    // The next sync finds them as the standby should hold them: nothing to change, and they stay.
    await h.clock.advance(60 * 60_000);
    const next = await sync();
    expect(next).toMatchObject({ state: 'succeeded', failed: [], counts: { create: 0, change: 0 }, verification: { mismatched: [] } });
    expect(held(V2_STANDBY, 'backends/orders')).toMatchObject({ url: NEU.backend });
    expect(held(V2_STANDBY, 'apis/orders')).toMatchObject({ serviceUrl: NEU.serviceUrl });

    // An operator's dry run into the standby uses its configured overrides too; their own --override wins.
    const check = await checkSnapshotApply(h.services, { snapshotName: next.snapshotName, target: V2_STANDBY, mirror: true, requestedBy: 'test' });
    expect(check.counts).toMatchObject({ create: 0, change: 0 });
    expect(check.findings.filter((f) => f.code === 'OverriddenValue').map((f) => f.resource)).toEqual(['apis/orders', 'backends/orders']);
    const drill = { path: 'backends/orders', field: 'url', value: 'https://orders.drill.contoso.example' };
    const own = await checkSnapshotApply(h.services, {
      snapshotName: next.snapshotName,
      target: V2_STANDBY,
      mirror: true,
      overrides: [drill],
      requestedBy: 'test',
    });
    expect(own.counts).toMatchObject({ change: 1 });
    expect(own.findings.find((f) => f.code === 'OverriddenValue' && f.resource === 'backends/orders')?.message).toContain(drill.value);
  });
});
