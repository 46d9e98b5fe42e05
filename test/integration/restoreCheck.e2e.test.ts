import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { catalogIndexShard, manifestCopy } from '../../src/azure/stateLayout';
import { manifestName } from '../../src/domain/backupName';
import { backupNow, startHarness, type Harness } from '../support/harness';

const WEU = 'contoso-apim-weu';
const NEU = 'contoso-apim-neu';

describe('restore dry run against the sandbox', () => {
  let h: Harness;
  let backupName: string;
  beforeEach(async () => {
    h = await startHarness();
    backupName = (await backupNow(h, WEU)).backupName;
  });
  afterEach(async () => {
    await h.close();
  });

  async function check(body: unknown) {
    return h.api('POST', '/api/restores/check', body);
  }

  it('finds the standby fully restorable once it matches the primary', async () => {
    h.sandbox.apim.service(NEU).spec.sku.capacity = 2;
    const response = await check({ source: WEU, target: NEU });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ verdict: 'FullyRestorable', backupName, source: WEU, target: NEU });
    expect(response.body.findings.map((f: { code: string }) => f.code)).toContain('StandbyOverwritten');
  });

  it('finds the standby partially restorable while it has fewer units, and says so', async () => {
    const response = await check({ source: WEU, target: NEU, backup: backupName });
    expect(response.body.verdict).toBe('PartiallyRestorable');
    expect(response.body.findings).toContainEqual(
      expect.objectContaining({ code: 'FewerUnits', severity: 'warning', message: "'contoso-apim-neu' has 1 unit(s), 'contoso-apim-weu' had 2" }),
    );
  });

  it('finds a Developer instance not restorable from a Premium backup, without any restore call', async () => {
    const response = await check({ source: WEU, target: 'contoso-apim-dev' });
    expect(response.body.verdict).toBe('NotRestorable');
    expect(response.body.findings[0]).toMatchObject({
      code: 'TierMismatch',
      message: expect.stringContaining("current SKU is 'Developer', backup SKU is 'Premium'"),
    });
    expect(response.body.findings.map((f: { code: string }) => f.code)).toContain('OverwritesTarget');
    expect(h.sandbox.apim.count('restore.post')).toBe(0);
  });

  it('refuses an expired backup by name, offering none when nothing is restorable', async () => {
    await h.clock.advance(31 * 86_400_000);
    const response = await check({ source: WEU, target: NEU, backup: backupName });
    expect(response.body.verdict).toBe('NotRestorable');
    expect(response.body.findings[0]).toMatchObject({ code: 'BackupExpired', message: expect.stringContaining('expired 2026-03-31T') });
  });

  it('reads at most 3 times from ARM and, without the instance in the index, 2 times from storage', async () => {
    // The index has lost the instance's blob: the check lists the instance's catalog instead.
    await h.sandbox.stateContainer().getBlockBlobClient(catalogIndexShard(WEU)).delete();
    const before = h.sandbox.apim.requests.length;
    const list = vi.spyOn(h.services.catalog, 'list');
    const read = vi.spyOn(h.services.catalog, 'read');
    const response = await check({ source: WEU, target: NEU });
    expect(response.body).toMatchObject({ backupName });
    const arm = h.sandbox.apim.requests.slice(before);
    expect(arm.length).toBeLessThanOrEqual(3);
    expect(arm.every((r) => r.method === 'GET')).toBe(true);
    expect(list.mock.calls.length + read.mock.calls.length).toBe(2);
  });

  it('takes the newest restorable backup from the index and proves it in storage, listing nothing', async () => {
    const before = h.sandbox.apim.requests.length;
    const list = vi.spyOn(h.services.catalog, 'list');
    const scan = vi.spyOn(h.services.catalog, 'scan');
    const read = vi.spyOn(h.services.catalog, 'read');
    const entry = vi.spyOn(h.services.catalog, 'entry');
    const response = await check({ source: WEU, target: NEU });
    expect(response.body).toMatchObject({ backupName });
    // Its blob's size came with it: the report does not call the blob missing.
    expect(response.body.findings.map((f: { code: string }) => f.code)).not.toContain('BackupBlobMissing');
    const arm = h.sandbox.apim.requests.slice(before);
    expect(arm.length).toBeLessThanOrEqual(3);
    expect(list).not.toHaveBeenCalled();
    expect(scan).not.toHaveBeenCalled();
    expect(entry.mock.calls).toEqual([[backupName]]);
    expect(read.mock.calls).toEqual([[backupName]]);
  });

  it('reads a named restorable backup on its own, listing nothing; one of another instance is not in the catalog', async () => {
    const list = vi.spyOn(h.services.catalog, 'list');
    const response = await check({ source: WEU, target: NEU, backup: backupName });
    expect(response.body).toMatchObject({ backupName, source: WEU, target: NEU });
    expect(response.body.findings.map((f: { code: string }) => f.code)).not.toContain('BackupBlobMissing');
    expect(list).not.toHaveBeenCalled();

    const theirs = (await backupNow(h, NEU)).backupName;
    const refused = await check({ source: WEU, target: NEU, backup: theirs });
    expect(refused.status).toBe(404);
    expect(refused.body.error.message).toContain(`is not in the catalog of '${WEU}'`);
  });

  it('does not trust an index entry that storage does not bear out: it lists the catalog instead', async () => {
    const newer = (await backupNow(h, WEU)).backupName;
    // Its manifest loses apim-dr's tags (another tool rewrote it): not apim-dr's, whatever the index says.
    await h.sandbox
      .stateContainer()
      .getBlockBlobClient(manifestCopy(manifestName(newer)))
      .setTags({});
    const list = vi.spyOn(h.services.catalog, 'list');
    const response = await check({ source: WEU, target: NEU });
    expect(list).toHaveBeenCalledTimes(1);
    expect(response.body).toMatchObject({ backupName });
  });

  it('answers bad input with 400 naming the field, and unknown instances or backups with 404', async () => {
    const bad = await check({ source: WEU });
    expect(bad.status).toBe(400);
    expect(bad.body.error.problems).toEqual([{ path: 'target', message: expect.stringContaining('is required') }]);
    const unknown = await check({ source: WEU, target: 'nowhere' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toContain("target 'nowhere' is neither a configured instance");
    const noBackup = await check({ source: WEU, target: NEU, backup: 'contoso-apim-weu.20200101T000000Z.manual.apimbackup' });
    expect(noBackup.status).toBe(404);
    expect(noBackup.body.error.code).toBe('BackupNotFound');
  });
});
