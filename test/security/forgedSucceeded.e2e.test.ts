/**
 * Attack 5 of issue 25: records and manifests planted where APIM's identities can write (the backup container, at
 * the paths apim-dr used before its state container) change nothing: the status reads the same, a never-restored
 * standby is not "in sync", a planted backup protects no one, and a planted running backup is not adopted.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { manifestTags, type BackupManifest } from '../../src/domain/manifest';
import { RECONCILE_AFTER_MS } from '../../src/workflows/schedule/reconcile';
import { forgedRestoreRecord } from '../support/forgedRecords';
import { backupNow, startHarness, type Harness } from '../support/harness';

const WEU = 'contoso-apim-weu';
const NEU = 'contoso-apim-neu';
const DEV = 'contoso-apim-dev';

describe('what apim-dr cannot show it wrote changes nothing', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  async function plant(h: Harness, name: string, body: string, tags?: Record<string, string>) {
    await h.sandbox
      .container()
      .getBlockBlobClient(name)
      .upload(body, Buffer.byteLength(body), tags ? { tags } : {});
  }

  function manifestOf(h: Harness, service: string, stem: string, state: 'succeeded' | 'running', extra: Partial<BackupManifest> = {}): BackupManifest {
    const at = h.clock.now().toISOString();
    const id = h.services.config.services.flatMap((s) => [s.id, ...s.standbys.map((b) => b.id)]).find((i) => i.endsWith(`/${service}`))!;
    return {
      schemaVersion: 1,
      backupName: `${stem}.apimbackup`,
      storageAccount: h.services.config.storage.account,
      container: h.services.config.storage.container,
      serviceId: id,
      trigger: 'manual',
      requestedBy: 'mallory',
      correlationId: 'forged',
      owner: 'forged',
      startedAt: at,
      createdAt: at,
      expiresAt: new Date(h.clock.now().getTime() + 30 * 86_400_000).toISOString(),
      state,
      ...extra,
    };
  }

  it('a planted succeeded restore record and planted manifests neither make a standby in sync nor change the status, and are never adopted', async () => {
    h = await startHarness();
    const backup = await backupNow(h, WEU);
    const before = (await h.api('GET', '/api/status')).body;
    const standby = () => before.instances.find((i: { service: string }) => i.service === WEU).standbys[0];
    expect(standby()).toMatchObject({ service: NEU, state: 'never-restored' });

    // 1. A restore record claiming the standby took the newest backup, at the path apim-dr used to write records.
    const stamp = backup.backupName.split('.')[1]!;
    const recordName = `restores/${NEU}.${stamp}.000abcd.json`;
    const targetId = `/subscriptions/x/resourceGroups/rg-apim-neu/providers/Microsoft.ApiManagement/service/${NEU}`;
    const record = forgedRestoreRecord({ recordName, source: WEU, target: NEU, targetId, backupName: backup.backupName, state: 'succeeded' }, h.clock.now(), {
      completedAt: h.clock.now().toISOString(),
    });
    await plant(h, recordName, JSON.stringify(record));
    // 2. A succeeded backup of an instance that has none, with apim-dr's index tags on its manifest and blob.
    const dev = manifestOf(h, DEV, `${DEV}.${stamp}.manual`, 'succeeded', { blobSize: 64, completedAt: h.clock.now().toISOString() });
    await plant(h, `${DEV}.${stamp}.manual.manifest.json`, JSON.stringify(dev), manifestTags(dev));
    await plant(h, dev.backupName, 'x'.repeat(64), manifestTags(dev));
    // 3. A running backup whose watcher is "gone", with a token: the tick adopts running entries it owns.
    const oldAt = new Date(h.clock.now().getTime() - 2 * RECONCILE_AFTER_MS);
    const running = manifestOf(h, WEU, `${WEU}.${stamp.slice(0, 9)}000001Z.manual`, 'running', {
      createdAt: oldAt.toISOString(),
      startedAt: oldAt.toISOString(),
      operationToken: JSON.stringify({ state: { config: { operationLocation: 'https://attacker.example/x' } } }),
    });
    await plant(h, running.backupName.replace(/\.apimbackup$/, '.manifest.json'), JSON.stringify(running), manifestTags(running));

    const after = (await h.api('GET', '/api/status')).body;
    expect(after.instances).toEqual(before.instances);
    expect(after.summary).toEqual(before.summary);
    expect(await h.services.restores.recent(NEU)).toEqual([]);
    expect(await h.services.catalog.list(DEV)).toEqual([]);
    expect(await h.services.catalog.read(dev.backupName)).toBeUndefined();
    const dashboard = await (await fetch(`${h.host.origin}/api/dashboard`)).text();
    expect(dashboard).not.toContain('mallory');

    await h.host.invokeTimer('scheduleTick');
    expect(h.logs.filter((r) => r['event'] === 'apim-dr.backup.reconciling')).toEqual([]);
    expect([...h.host.engine.instances.values()].map((i) => (i.input as { adopt?: unknown } | undefined)?.adopt).filter(Boolean)).toEqual([]);
  });

  it('a restore refuses a backup whose only manifest is a planted one', async () => {
    h = await startHarness();
    const backup = await backupNow(h, WEU);
    const stamp = backup.backupName.split('.')[1]!;
    const planted = manifestOf(h, WEU, `${WEU}.${stamp.slice(0, 9)}000002Z.manual`, 'succeeded', { blobSize: 64, completedAt: h.clock.now().toISOString() });
    await plant(h, planted.backupName.replace(/\.apimbackup$/, '.manifest.json'), JSON.stringify(planted), manifestTags(planted));
    await plant(h, planted.backupName, 'x'.repeat(64), manifestTags(planted));
    const check = await h.api('POST', '/api/restores/check', { source: WEU, target: NEU, backup: planted.backupName });
    expect(check).toMatchObject({ status: 404, body: { error: { code: 'BackupNotFound' } } });
    expect(h.sandbox.apim.count('restore.post')).toBe(0);
  });
});
