import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseOverride, parseSecretSupply } from '../../src/workflows/snapshot/applySupplies';
import { applySnapshot, checkSnapshotApply } from '../../src/workflows/snapshot/applySnapshot';
import { takeSnapshot } from '../../src/workflows/snapshot/takeSnapshot';
import { SEEDED_SECRETS, seedFullConfiguration } from '../support/configSeed';
import { runToCompletion, startHarness, type Harness } from '../support/harness';
import { V2, V2_SERVICES, V2_STANDBY, v2Config } from '../support/v2Fleet';

/** What the operator keeps for the standby: its own copy of the secret, read from a setting or a file. */
const STANDBY_SECRET = 'standby-nv-secret-51c9e0a7d3';

describe('secrets and overrides at apply', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ services: V2_SERVICES, config: v2Config, settings: { APIM_DR_SECRET_ORDERS_KEY: STANDBY_SECRET } });
    seedFullConfiguration(h.sandbox.apim.service(V2), { apis: 2, operations: 1 });
  });
  afterEach(async () => {
    await h.close();
  });

  const snapshot = async () => (await takeSnapshot(h.services, { serviceId: V2, trigger: 'manual', requestedBy: 'test' })).snapshotName;
  const standby = (path: string) => h.sandbox.apim.service(V2_STANDBY).configuration.resources?.[path.toLowerCase()]?.properties;
  const everything = () => JSON.stringify(h.logs) + JSON.stringify([...h.host.engine.instances.values()]);

  it('applies a supplied secret and the overrides over HTTP, reports them by name, and never carries the value', async () => {
    const name = await snapshot();
    const body = {
      snapshot: name,
      target: V2_STANDBY,
      set: [{ path: 'namedValues/orders-key', setting: 'APIM_DR_SECRET_ORDERS_KEY' }],
      overrides: [
        { path: 'backends/orders-backend', field: 'url', value: 'https://orders.neu.contoso.example' },
        { path: 'apis/orders', field: 'serviceUrl', value: 'https://orders.neu.contoso.example/api' },
      ],
    };
    const check = await h.api('POST', '/api/snapshots/apply/check', body);
    expect(check.status).toBe(200);
    const findings = check.body.findings.map((f: { code: string; resource?: string }) => `${f.code} ${f.resource ?? ''}`);
    // The secret is supplied: the named value and the policies naming it are no longer left out.
    expect(findings).not.toContain('SecretNotCaptured namedValues/orders-key');
    expect(check.body.skipped.map((s: { path: string }) => s.path)).not.toContain('apis/api-1/policies/policy');

    const response = await h.api('POST', '/api/snapshots/apply', { ...body, confirm: V2_STANDBY });
    expect(response.status).toBe(202);
    const record = (await runToCompletion(h, response.body.id)).output as Record<string, unknown>;
    expect(record).toMatchObject({
      failed: [],
      verification: { mismatched: [] },
      supplied: ['namedValues/orders-key'],
      overrides: body.overrides,
    });
    expect(standby('namedValues/orders-key')).toMatchObject({ secret: true, value: STANDBY_SECRET });
    expect(standby('apis/api-1/policies/policy')).toBeDefined();
    expect(standby('backends/orders-backend')).toMatchObject({ url: 'https://orders.neu.contoso.example' });
    expect(standby('apis/orders')).toMatchObject({ serviceUrl: 'https://orders.neu.contoso.example/api' });
    // Not in a log, a record, an orchestration's input, output or history, nor the source's value anywhere.
    expect(everything()).not.toContain(STANDBY_SECRET);
    expect(JSON.stringify(await h.api('GET', `/api/operations/${response.body.id}`))).not.toContain(STANDBY_SECRET);
    expect(everything()).not.toContain(SEEDED_SECRETS.namedValue);
  });

  it('reads an app setting only under APIM_DR_SECRET_ over HTTP', async () => {
    const name = await snapshot();
    const response = await h.api('POST', '/api/snapshots/apply/check', {
      snapshot: name,
      target: V2_STANDBY,
      set: [{ path: 'namedValues/orders-key', setting: 'APIM_DR_CONFIG' }],
    });
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body)).toContain('APIM_DR_SECRET_');
  });

  it('reads a secret from a file in the CLI, and refuses a missing one or a secret the snapshot does not lack', async () => {
    const name = await snapshot();
    const file = join(mkdtempSync(join(tmpdir(), 'apim-dr-secret-')), 'orders-key');
    writeFileSync(file, `${STANDBY_SECRET}\n`);
    const record = await applySnapshot(h.services, {
      snapshotName: name,
      target: V2_STANDBY,
      set: [parseSecretSupply(`namedValues/orders-key=file:${file}`)],
      overrides: [parseOverride('backends/orders-backend.url=https://orders.neu.contoso.example')],
      requestedBy: 'test',
      requestedAt: h.clock.now().toISOString(),
    });
    expect(record.supplied).toEqual(['namedValues/orders-key']);
    expect(standby('namedValues/orders-key')).toMatchObject({ value: STANDBY_SECRET });
    expect(JSON.stringify(record)).not.toContain(STANDBY_SECRET);

    const check = (set: string) =>
      checkSnapshotApply(h.services, { snapshotName: name, target: V2_STANDBY, set: [parseSecretSupply(set)], requestedBy: 'test' });
    await expect(check('namedValues/orders-key=env:APIM_DR_SECRET_UNSET')).rejects.toMatchObject({ kind: 'usage', code: 'SecretMissing' });
    await expect(check('namedValues/backend-host=env:APIM_DR_SECRET_ORDERS_KEY')).rejects.toMatchObject({ kind: 'usage', code: 'SecretNotExpected' });
    await expect(
      checkSnapshotApply(h.services, {
        snapshotName: name,
        target: V2_STANDBY,
        overrides: [parseOverride('backends/nowhere.url=https://x.example')],
        requestedBy: 'test',
      }),
    ).rejects.toMatchObject({ code: 'OverrideNotInSnapshot' });
  });

  it('refuses a secret on the command line', () => {
    expect(() => parseSecretSupply(`namedValues/orders-key=${STANDBY_SECRET}`)).toThrow(/never goes on a command line/);
    // The refusal does not echo the value either.
    expect(() => parseSecretSupply(`namedValues/orders-key=${STANDBY_SECRET}`)).not.toThrow(new RegExp(STANDBY_SECRET));
    expect(parseOverride('apis/orders.serviceUrl=https://a.example/x=1')).toEqual({ path: 'apis/orders', field: 'serviceUrl', value: 'https://a.example/x=1' });
  });
});
