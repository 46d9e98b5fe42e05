import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { seedResource } from '../../dev/sandbox/configApi';
import { readConfiguration } from '../../src/azure/snapshot/readConfiguration';
import { parseServiceId } from '../../src/domain/resourceId';
import { SEEDED_SECRETS, seedCache } from '../support/configSeed';
import { runToCompletion, type Harness } from '../support/harness';
import { STANDBY_APPLY_ID, startSyncedV2Standby, syncOnce } from '../support/syncedV2Standby';
import { idOf, V2, V2_STANDBY } from '../support/v2Fleet';

/** The standby's own copies of the secrets its source's snapshots leave out, in app settings (Key Vault references in Azure). */
const STANDBY = {
  APIM_DR_SECRET_ORDERS_KEY: 'standby-orders-key-4e6a8c0b2d',
  APIM_DR_SECRET_NEU_REDIS: 'contoso-neu.redis.cache.windows.net:6380,password=standby-redis-7b9d1f3a5c,ssl=True',
};
const SECRETS = { 'namedValues/orders-key': 'APIM_DR_SECRET_ORDERS_KEY', 'caches/default.connectionString': 'APIM_DR_SECRET_NEU_REDIS' };

describe('standby sync with the secrets a snapshot leaves out, from the standby config', () => {
  let h: Harness;
  afterEach(async () => {
    await h.close();
  });

  /** The v2 source, protected by snapshots, keeps its v2 standby after each snapshot; `settings` are the app's. */
  async function start(settings: Record<string, string>) {
    h = await startSyncedV2Standby({ secrets: SECRETS }, settings);
    // A secret named value without Key Vault, a policy naming it, and an external cache: none of their secrets is captured.
    const source = h.sandbox.apim.service(V2);
    seedResource(source, 'namedValues/orders-key', { displayName: 'orders-key', value: SEEDED_SECRETS.namedValue, secret: true });
    seedResource(source, 'apis/payments', { displayName: 'Payments', path: 'payments', protocols: ['https'], serviceUrl: 'https://payments.example' });
    seedResource(source, 'apis/payments/policies/policy', {
      format: 'rawxml',
      value: '<policies><inbound><set-header name="x-key" exists-action="override"><value>{{orders-key}}</value></set-header></inbound></policies>',
    });
    seedCache(source);
  }

  const applyId = STANDBY_APPLY_ID;
  async function sync() {
    const { snapshotName, output } = await syncOnce(h);
    return { snapshotName, record: output as Record<string, unknown> & { findings: { code: string; message: string; fix: string }[] } };
  }
  const client = (service: string) => h.services.configClient(parseServiceId(idOf(service))!);
  const held = (path: string) => h.sandbox.apim.service(V2_STANDBY).configuration.resources?.[path.toLowerCase()]?.properties;
  /** The connection string the standby's cache holds: ARM keeps it in a secret named value of its own. */
  async function cacheConnection() {
    const reference = (await client(V2_STANDBY).get('caches/default'))?.item.properties?.connectionString as string | undefined;
    return reference && held(`namedValues/${reference.slice(2, -2)}`)?.value;
  }
  const dashboard = () => fetch(`${h.host.origin}/api/dashboard`).then((r) => r.text());
  async function standbyStatus() {
    const status = await h.api('GET', '/api/status');
    return status.body.instances.find((i: { service: string }) => i.service === V2).standbys.find((b: { service: string }) => b.service === V2_STANDBY);
  }
  /** Every place apim-dr keeps or shows anything: blobs of both containers, logs, orchestrations (input, output, history, status), status, dashboard. */
  async function everywhere() {
    const texts: string[] = [JSON.stringify(h.logs), JSON.stringify([...h.host.engine.instances.values()])];
    for (const container of [h.sandbox.container(), h.sandbox.stateContainer()]) {
      for await (const blob of container.listBlobsFlat()) {
        const buffer = await container.getBlockBlobClient(blob.name).downloadToBuffer();
        texts.push(blob.name.endsWith('.gz') ? gunzipSync(buffer).toString('utf8') : buffer.toString('utf8'));
      }
    }
    texts.push(JSON.stringify(await h.api('GET', `/api/operations/${applyId}`)), JSON.stringify(await h.api('GET', '/api/status')));
    texts.push(await dashboard());
    return texts.join('\n');
  }

  it('supplies them from the settings the standby names: the standby equals its source, its secrets set, their values nowhere apim-dr keeps', async () => {
    await start(STANDBY);
    const { snapshotName, record } = await sync();
    expect(record).toMatchObject({
      snapshotName,
      purpose: 'sync',
      failed: [],
      verification: { mismatched: [], stillPresent: [] },
      supplied: ['namedValues/orders-key', 'caches/default.connectionString'],
    });
    expect(record).not.toHaveProperty('missingSettings');
    const codes = record.findings.map((f) => f.code);
    expect(codes).not.toContain('SecretNotCaptured');
    expect(codes).not.toContain('SecretSettingMissing');

    // The standby holds the source's configuration (the cache's own 24-hex named value aside), and its own secrets.
    const own = /^namedValues\/[0-9a-f]{24}$/;
    const content = async (service: string) =>
      Object.fromEntries((await readConfiguration(client(service))).resources.filter((r) => !own.test(r.path)).map((r) => [r.path, r.properties]));
    const [source, standby] = [await content(V2), await content(V2_STANDBY)];
    expect(Object.keys(standby).sort()).toEqual(Object.keys(source).sort());
    for (const path of ['namedValues/orders-key', 'apis/payments/policies/policy', 'caches/default']) expect(standby[path], path).toEqual(source[path]);
    expect(held('namedValues/orders-key')).toMatchObject({ secret: true, value: STANDBY.APIM_DR_SECRET_ORDERS_KEY });
    expect(await cacheConnection()).toBe(STANDBY.APIM_DR_SECRET_NEU_REDIS);
    expect(await standbyStatus()).toMatchObject({ via: 'snapshot', state: 'in-sync', lastApply: { snapshotName, purpose: 'sync' } });
    expect((await standbyStatus()).lastApply).not.toHaveProperty('missingSettings');

    // A second sync (the standby now has both) writes them again from the settings, and its way back holds neither.
    await h.clock.advance(60 * 60_000);
    expect((await sync()).record).toMatchObject({ failed: [], supplied: ['namedValues/orders-key', 'caches/default.connectionString'] });

    const all = await everywhere();
    expect(all).toContain('APIM_DR_SECRET_NEU_REDIS');
    for (const value of [...Object.values(STANDBY), SEEDED_SECRETS.namedValue, SEEDED_SECRETS.cacheConnection]) {
      expect(all.includes(value), `${value.slice(0, 12)}… found`).toBe(false);
    }
  });

  it('says which setting is missing, supplies the rest, the status says what the sync went without, and once it is set the next tick supplies it', async () => {
    await start({ APIM_DR_SECRET_ORDERS_KEY: STANDBY.APIM_DR_SECRET_ORDERS_KEY });
    const { record } = await sync();
    expect(record).toMatchObject({ state: 'partial', failed: [], supplied: ['namedValues/orders-key'], missingSettings: ['APIM_DR_SECRET_NEU_REDIS'] });
    const missing = record.findings.filter((f) => f.code === 'SecretSettingMissing');
    expect(missing).toEqual([
      expect.objectContaining({
        resource: 'caches/default',
        message: expect.stringContaining("caches/default.connectionString: the app setting 'APIM_DR_SECRET_NEU_REDIS'"),
        fix: expect.stringContaining("add the app setting 'APIM_DR_SECRET_NEU_REDIS' to the Function App"),
      }),
    ]);
    // The cache, which cannot be created without its string, is not written; the named value is.
    expect(record.findings.map((f) => f.code)).toContain('SecretNotCaptured');
    expect(held('caches/default')).toBeUndefined();
    expect(held('namedValues/orders-key')).toMatchObject({ value: STANDBY.APIM_DR_SECRET_ORDERS_KEY });

    expect(await standbyStatus()).toMatchObject({
      via: 'snapshot',
      lastApply: { state: 'partial', secretsLeftOut: 1, missingSettings: ['APIM_DR_SECRET_NEU_REDIS'] },
    });
    expect(await dashboard()).toContain('1 secret not supplied (app setting not set: APIM_DR_SECRET_NEU_REDIS)');

    // A Key Vault reference App Service could not resolve (the app reads its text) is no more set: no sync starts.
    await h.clock.advance(5 * 60_000);
    h.services.settings['APIM_DR_SECRET_NEU_REDIS'] = '@Microsoft.KeyVault(SecretUri=https://kv-dr.vault.azure.net/secrets/neu-redis/)';
    await h.host.invokeTimer('scheduleTick');
    expect(h.logs.filter((r) => r['event'] === 'apim-dr.sync.started')).toHaveLength(1);

    // Once the setting is there, the next tick applies the same snapshot again, now with the cache.
    await h.clock.advance(5 * 60_000);
    h.services.settings['APIM_DR_SECRET_NEU_REDIS'] = STANDBY.APIM_DR_SECRET_NEU_REDIS;
    await h.host.invokeTimer('scheduleTick');
    const again = (await runToCompletion(h, applyId)).output as Record<string, unknown>;
    expect(again).toMatchObject({ requestedBy: 'sync:settings', failed: [], supplied: ['namedValues/orders-key', 'caches/default.connectionString'] });
    expect(again).not.toHaveProperty('missingSettings');
    expect(await cacheConnection()).toBe(STANDBY.APIM_DR_SECRET_NEU_REDIS);
    expect((await standbyStatus()).lastApply).not.toHaveProperty('missingSettings');
    await h.host.invokeTimer('scheduleTick');
    expect(h.logs.filter((r) => r['event'] === 'apim-dr.sync.started')).toHaveLength(2);

    const all = await everywhere();
    for (const value of Object.values(STANDBY)) expect(all.includes(value), `${value.slice(0, 12)}… found`).toBe(false);
  });
});
