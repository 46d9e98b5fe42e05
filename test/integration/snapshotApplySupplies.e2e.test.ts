import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseOverride, parseSecretSupply } from '../../src/workflows/snapshot/applySupplies';
import { applySnapshot, checkSnapshotApply } from '../../src/workflows/snapshot/applySnapshot';
import { takeSnapshot } from '../../src/workflows/snapshot/takeSnapshot';
import { SEEDED_SECRETS, seedFullConfiguration } from '../support/configSeed';
import { runToCompletion, startHarness, type Harness } from '../support/harness';
import { checkOverHttp } from '../support/snapshotCheck';
import { idOf, V2, V2_SERVICES, V2_STANDBY, v2Config } from '../support/v2Fleet';
import { parseServiceId } from '../../src/domain/resourceId';

/** What the operator keeps for the standby: its own copy of the secret, read from a setting or a file. */
const STANDBY_SECRET = 'standby-nv-secret-51c9e0a7d3';
/** The standby's own copies of the other secrets a snapshot leaves out, each in an app setting. */
const STANDBY = {
  APIM_DR_SECRET_BACKEND_KEY: 'standby-backend-key-8c1e3a5f7b',
  APIM_DR_SECRET_PROXY: 'standby-proxy-pass-2d4f6b8a0c',
  APIM_DR_SECRET_IDP: 'standby-idp-secret-9e1c3a5b7d',
  APIM_DR_SECRET_AUTH_SERVER: 'standby-as-secret-4b6d8f0a2c',
  APIM_DR_SECRET_LOGGER: 'standby-logger-key-7a9c1e3b5d',
  APIM_DR_SECRET_SUB_PRIMARY: 'standby-sub-primary-3c5e7a9b1d',
  APIM_DR_SECRET_CERT_DATA: Buffer.from('standby-pfx-bytes-6e8a0c2d4f').toString('base64'),
  APIM_DR_SECRET_CERT_PASSWORD: 'standby-cert-pass-1f3b5d7a9c',
};

describe('secrets and overrides at apply', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ services: V2_SERVICES, config: v2Config, settings: { APIM_DR_SECRET_ORDERS_KEY: STANDBY_SECRET, ...STANDBY } });
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
    const check = await checkOverHttp(h, body);
    expect(check.status).toBe(202);
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

  it('supplies the other secrets a snapshot leaves out, each by its exact field, as the dry run names them; never carrying a value', async () => {
    const name = await snapshot();
    // Every fix per code and resource (a backend has one finding per field left out).
    const fixes = (findings: { code: string; resource?: string; fix: string }[]) => {
      const all = new Map<string, string>();
      for (const f of findings) all.set(`${f.code} ${f.resource}`, `${all.get(`${f.code} ${f.resource}`) ?? ''}${f.fix}\n`);
      return all;
    };
    const before = fixes((await checkOverHttp(h, { snapshot: name, target: V2_STANDBY })).body.findings);
    // Each finding's fix names the flag that supplies exactly the field left out.
    expect(before.get('SecretRedacted backends/orders-backend')).toContain('--set backends/orders-backend.credentials.header.x-api-key=env:<VARIABLE>');
    expect(before.get('SecretNotCaptured identityProviders/aad')).toContain('--set identityProviders/aad.clientSecret=env:<VARIABLE>');
    expect(before.get('SecretNotCaptured certificates/client')).toContain(
      '--set certificates/client.data=env:<VARIABLE> --set certificates/client.password=env:<VARIABLE> or =file:<path> (a .pfx file is read as bytes)',
    );
    expect(before.get('SecretRedacted subscriptions/partner-sub')).toContain('--set subscriptions/partner-sub.primaryKey=env:<VARIABLE>');

    const set = [
      ['backends/orders-backend.credentials.header.x-api-key', 'APIM_DR_SECRET_BACKEND_KEY'],
      ['backends/orders-backend.proxy.password', 'APIM_DR_SECRET_PROXY'],
      ['identityProviders/aad.clientSecret', 'APIM_DR_SECRET_IDP'],
      ['authorizationServers/oauth.clientSecret', 'APIM_DR_SECRET_AUTH_SERVER'],
      ['loggers/appinsights.credentials.instrumentationKey', 'APIM_DR_SECRET_LOGGER'],
      ['subscriptions/partner-sub.primaryKey', 'APIM_DR_SECRET_SUB_PRIMARY'],
      ['certificates/client.data', 'APIM_DR_SECRET_CERT_DATA'],
      ['certificates/client.password', 'APIM_DR_SECRET_CERT_PASSWORD'],
    ].map(([path, setting]) => ({ path, setting }));
    const after = fixes((await checkOverHttp(h, { snapshot: name, target: V2_STANDBY, set })).body.findings);
    for (const gone of ['SecretNotCaptured identityProviders/aad', 'SecretNotCaptured certificates/client', 'SecretRedacted backends/orders-backend'])
      expect(after.has(gone), gone).toBe(false);

    const response = await h.api('POST', '/api/snapshots/apply', { snapshot: name, target: V2_STANDBY, set, confirm: V2_STANDBY });
    expect(response.status).toBe(202);
    const record = (await runToCompletion(h, response.body.id)).output as Record<string, unknown>;
    expect(record).toMatchObject({ failed: [], verification: { mismatched: [] }, supplied: set.map((s) => s.path) });
    expect(standby('backends/orders-backend')).toMatchObject({
      credentials: { header: { 'x-api-key': [STANDBY.APIM_DR_SECRET_BACKEND_KEY], 'x-ref': ['{{backend-host}}'] } },
      proxy: { password: STANDBY.APIM_DR_SECRET_PROXY },
    });
    expect(standby('identityProviders/aad')).toMatchObject({ clientSecret: STANDBY.APIM_DR_SECRET_IDP });
    expect(standby('authorizationServers/oauth')).toMatchObject({ clientSecret: STANDBY.APIM_DR_SECRET_AUTH_SERVER });
    expect(standby('loggers/appinsights')).toMatchObject({ credentials: { instrumentationKey: STANDBY.APIM_DR_SECRET_LOGGER } });
    expect(standby('subscriptions/partner-sub')).toMatchObject({ primaryKey: STANDBY.APIM_DR_SECRET_SUB_PRIMARY });
    expect(standby('certificates/client')).toMatchObject({ data: STANDBY.APIM_DR_SECRET_CERT_DATA, password: STANDBY.APIM_DR_SECRET_CERT_PASSWORD });
    // As in Azure, a GET of the standby leaves the write-only secrets out.
    const client = h.services.configClient(parseServiceId(idOf(V2_STANDBY))!);
    expect((await client.get('identityProviders/aad'))?.item.properties).not.toHaveProperty('clientSecret');
    expect((await client.get('certificates/client'))?.item.properties).not.toHaveProperty('data');
    expect((await client.get('subscriptions/partner-sub'))?.item.properties).not.toHaveProperty('primaryKey');

    // No value in a log, a record, an orchestration's input, output, history or status, nor in any blob apim-dr keeps.
    const status = JSON.stringify(await h.api('GET', `/api/operations/${response.body.id}`));
    const blobs: string[] = [];
    for await (const blob of h.services.snapshots.container.listBlobsFlat())
      blobs.push((await h.services.snapshots.container.getBlobClient(blob.name).downloadToBuffer()).toString('latin1'));
    for (const value of Object.values(STANDBY)) {
      expect(everything()).not.toContain(value);
      expect(status).not.toContain(value);
      expect(blobs.join('\n')).not.toContain(value);
    }
  });

  it('refuses a supplied secret the snapshot did not leave out, or one in a policy, naming the field, the problem and the fix', async () => {
    const name = await snapshot();
    const check = (set: string) =>
      checkSnapshotApply(h.services, { snapshotName: name, target: V2_STANDBY, set: [parseSecretSupply(set)], requestedBy: 'test' });
    await expect(check('backends/orders-backend.credentials.header.x-other=env:APIM_DR_SECRET_BACKEND_KEY')).rejects.toMatchObject({
      code: 'SecretNotExpected',
      message: expect.stringMatching(
        /'backends\/orders-backend\.credentials\.header\.x-other': the snapshot left out no secret of that name \(of backends\/orders-backend it left out credentials\.header\.x-api-key, proxy\.password\); name one it lists: backends\/orders-backend\.credentials\.header\.x-api-key, backends\/orders-backend\.proxy\.password/,
      ),
    });
    await expect(check('apis/orders/policies/policy.set-header Authorization=env:APIM_DR_SECRET_BACKEND_KEY')).rejects.toMatchObject({
      code: 'SecretNotSuppliable',
      message: expect.stringContaining('reference a named value ({{name}})'),
    });
    await expect(check('certificates/client.password=env:APIM_DR_SECRET_CERT_PASSWORD')).rejects.toMatchObject({
      code: 'SecretIncomplete',
      message: expect.stringContaining('--set certificates/client.data=file:<pfx>'),
    });
    // HTTP refuses a path that is no resource path at all, before anything is read.
    const response = await h.api('POST', '/api/snapshots/apply/check', {
      snapshot: name,
      target: V2_STANDBY,
      set: [{ path: 'orders-key', setting: 'APIM_DR_SECRET_ORDERS_KEY' }],
    });
    expect(response.status).toBe(400);
  });

  it('writes a certificate from a .pfx file in the CLI, its bytes base64 as ARM takes them', async () => {
    const name = await snapshot();
    const dir = mkdtempSync(join(tmpdir(), 'apim-dr-pfx-'));
    const pfx = Buffer.from([0x30, 0x82, 0x0a, 0x00, 0xff, 0x10, 0x0d, 0x0a]);
    writeFileSync(join(dir, 'client.pfx'), pfx);
    writeFileSync(join(dir, 'password'), `${STANDBY.APIM_DR_SECRET_CERT_PASSWORD}\n`);
    const record = await applySnapshot(h.services, {
      snapshotName: name,
      target: V2_STANDBY,
      only: ['certificates/client'],
      set: [
        parseSecretSupply(`certificates/client.data=file:${join(dir, 'client.pfx')}`),
        parseSecretSupply(`certificates/client.password=file:${join(dir, 'password')}`),
      ],
      requestedBy: 'test',
      requestedAt: h.clock.now().toISOString(),
    });
    expect(record).toMatchObject({ failed: [], verification: { mismatched: [], checked: 1 } });
    expect(standby('certificates/client')).toEqual(expect.objectContaining({ data: pfx.toString('base64'), password: STANDBY.APIM_DR_SECRET_CERT_PASSWORD }));
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
