/**
 * Attack 1 of issue 25: a forged `running` record whose operation token points at another HTTPS host. The tick
 * adopts running records; the token is refused before any request, the record fails with the reason, an incident
 * names it, and the foreign host (trusted by the app's TLS, so a request would succeed) sees no connection at all.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { backupName } from '../../src/domain/backupName';
import { RECONCILE_AFTER_MS } from '../../src/workflows/schedule/reconcile';
import { backupNow, runToCompletion, startHarness, type Harness } from '../support/harness';
import { startForeignHost } from '../support/foreignHost';
import { forgedRestoreRecord } from '../support/forgedRecords';
import { startWebhook } from '../support/webhook';

const WEU = 'contoso-apim-weu';
const NEU = 'contoso-apim-neu';
const DEV = 'contoso-apim-dev';

describe('a forged running record cannot send the app’s ARM token anywhere', () => {
  let h: Harness | undefined;
  let foreign: Awaited<ReturnType<typeof startForeignHost>>;
  let webhook: Awaited<ReturnType<typeof startWebhook>>;

  afterEach(async () => {
    await h?.close();
    h = undefined;
    await foreign.close();
    await webhook.close();
  });

  async function start() {
    foreign = await startForeignHost();
    webhook = await startWebhook();
    h = await startHarness({
      config: (sandbox) => ({ ...sandbox.config(), notifications: { webhooks: [{ urlSetting: 'OPS_WEBHOOK_URL' }] } }),
      settings: { OPS_WEBHOOK_URL: webhook.url },
      extraCa: foreign.caPem,
    });
    return h;
  }

  const forgedToken = (origin: string, serviceId: string) =>
    JSON.stringify({ state: { status: 'running', config: { operationLocation: `${origin}${serviceId}/operationresults/forged?api-version=2024-05-01` } } });

  const idOf = (h: Harness, name: string) =>
    h.services.config.services.flatMap((s) => [s.id, ...s.standbys.map((b) => b.id)]).find((id) => id.endsWith(`/${name}`))!;

  async function tickAndSettle(h: Harness) {
    await h.clock.advance(RECONCILE_AFTER_MS + 60_000);
    await h.host.invokeTimer('scheduleTick');
    for (const instance of [...h.host.engine.instances.values()]) await runToCompletion(h, instance.instanceId);
  }

  it('refuses a restore record whose token names another host, records why, and opens an incident naming it', async () => {
    const h = await start();
    const recordName = `restores/${NEU}.20260301T000000Z.000abcd.json`;
    const at = h.clock.now();
    const fields = {
      recordName,
      source: 'contoso-apim-weu',
      target: NEU,
      targetId: idOf(h, NEU),
      backupName: 'contoso-apim-weu.20260228T020000Z.scheduled.apimbackup',
    };
    await h.services.restores.write(
      forgedRestoreRecord({ ...fields, state: 'running' }, at, { startedAt: at.toISOString(), operationToken: forgedToken(foreign.origin, idOf(h, NEU)) }),
    );
    await tickAndSettle(h);

    const record = (await h.services.restores.read(recordName))!.record;
    expect(record.state).toBe('failed');
    expect(record.error).toMatchObject({ code: 'ForeignOperationUrl', message: expect.stringContaining(`is on host ${foreign.origin.slice(8)}`) });
    expect(foreign.seen).toEqual({ connections: 0, requests: [] });
    expect(h.logs).toContainEqual(expect.objectContaining({ event: 'apim-dr.operation.refused', source: recordName }));
    expect(webhook.received.map((m) => m.text)).toContainEqual(expect.stringContaining(`${recordName} names an operation URL apim-dr did not get from ARM`));
    expect(h.sandbox.apim.count('restore.post')).toBe(0);
  });

  it('refuses a migration record whose token names another host', async () => {
    const h = await start();
    const recordName = `migrations/${DEV}.20260301T000000Z.000abcd.json`;
    await h.services.migrations.write({
      schemaVersion: 1,
      recordName,
      kind: 'in-place',
      service: DEV,
      serviceId: idOf(h, DEV),
      mode: 'PreserveIp',
      requestedBy: 'mallory',
      correlationId: 'forged',
      owner: 'forged',
      requestedAt: h.clock.now().toISOString(),
      startedAt: h.clock.now().toISOString(),
      state: 'running',
      verdict: 'Fully migratable',
      preMigrationBackup: { backupName: `${DEV}.20260301T000000Z.pre-migration.apimbackup`, expiresAt: '2026-03-31T00:00:00Z' },
      findings: [],
      operationToken: forgedToken(foreign.origin, idOf(h, DEV)),
    });
    await tickAndSettle(h);

    expect((await h.services.migrations.read(recordName))!.record).toMatchObject({ state: 'failed', error: { code: 'ForeignOperationUrl' } });
    expect(foreign.seen).toEqual({ connections: 0, requests: [] });
  });

  it('refuses a running backup entry whose token names another host', async () => {
    const h = await start();
    const at = h.clock.now();
    const name = backupName(WEU, at, 'manual');
    await h.services.catalog.create({
      schemaVersion: 1,
      backupName: name,
      storageAccount: h.services.config.storage.account,
      container: h.services.config.storage.container,
      serviceId: idOf(h, WEU),
      trigger: 'manual',
      requestedBy: 'mallory',
      correlationId: 'forged',
      owner: 'forged',
      startedAt: at.toISOString(),
      createdAt: at.toISOString(),
      expiresAt: new Date(at.getTime() + 30 * 86_400_000).toISOString(),
      state: 'running',
      operationToken: forgedToken(foreign.origin, idOf(h, WEU)),
    });
    await tickAndSettle(h);

    expect((await h.services.catalog.read(name))!.manifest).toMatchObject({ state: 'failed', error: { code: 'ForeignOperationUrl' } });
    expect(h.logs).toContainEqual(expect.objectContaining({ event: 'apim-dr.operation.refused', source: name }));
    expect(foreign.seen).toEqual({ connections: 0, requests: [] });
  });

  it('closes the refused backup incident, with one resolve message, once a backup of the same instance succeeds', async () => {
    const h = await start();
    const at = h.clock.now();
    const name = backupName(WEU, at, 'manual');
    await h.services.catalog.create({
      schemaVersion: 1,
      backupName: name,
      storageAccount: h.services.config.storage.account,
      container: h.services.config.storage.container,
      serviceId: idOf(h, WEU),
      trigger: 'manual',
      requestedBy: 'mallory',
      correlationId: 'forged',
      owner: 'forged',
      startedAt: at.toISOString(),
      createdAt: at.toISOString(),
      expiresAt: new Date(at.getTime() + 30 * 86_400_000).toISOString(),
      state: 'running',
      operationToken: forgedToken(foreign.origin, idOf(h, WEU)),
    });
    await tickAndSettle(h);
    await backupNow(h, WEU);
    await backupNow(h, WEU);

    const texts = webhook.received.map((m) => m.text);
    expect(texts.filter((t) => t.includes(`${name} names an operation URL`))).toHaveLength(1);
    expect(texts.filter((t) => t.includes(`Resolved: The refused operation of ${name} is closed: a backup of ${WEU} succeeded since`))).toHaveLength(1);
  });

  it('the ARM client itself sends nothing to another host, whatever asks it to', async () => {
    const h = await start();
    const ref = { id: idOf(h, NEU), subscriptionId: idOf(h, NEU).split('/')[2]!, resourceGroup: 'rg-apim-neu', name: NEU };
    await expect(h.services.apim.check('restore', ref, forgedToken(foreign.origin, ref.id))).rejects.toThrow(
      /refused to send an ARM request to https:\/\/127\.0\.0\.1/,
    );
    expect(foreign.seen).toEqual({ connections: 0, requests: [] });
  });
});
