import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SweepItem } from '../../src/domain/sweepPlan';
import { backupNow, runToCompletion, startHarness, sweepNow, type Harness, type HarnessOptions } from '../support/harness';

const DAY = 86_400_000;
const WEU = 'contoso-apim-weu';

describe('the expiry sweep', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  const start = async (defaults: Record<string, unknown> = {}, options: HarnessOptions = {}) => {
    h = await startHarness({ ...options, config: (sandbox) => ({ ...sandbox.config({ defaults: { pollInterval: 'PT15S', ...defaults } }) }) });
    return h;
  };
  const blobExists = (h: Harness, name: string) => h.sandbox.container().getBlobClient(name).exists();

  it('deletes an expired backup and its manifest, keeps restorable ones, and never touches foreign blobs', async () => {
    const h = await start();
    const first = await backupNow(h, WEU);
    await h.clock.advance(10 * DAY);
    const second = await backupNow(h, WEU);
    // Foreign: one named like ours but without a manifest, one of someone else's.
    const foreign = ['contoso-apim-weu.20260301T000000Z.manual.apimbackup-copy', 'contoso-apim-weu.20260302T000000Z.manual.apimbackup', 'notes/readme.txt'];
    for (const name of foreign) await h.sandbox.container().getBlockBlobClient(name).upload('not ours', 8);

    await h.clock.advance(21 * DAY);
    const report = await sweepNow(h);

    expect(report.applied?.deleted).toEqual([first.backupName]);
    expect(await blobExists(h, first.backupName)).toBe(false);
    expect(await h.services.catalog.read(first.backupName)).toBeUndefined();
    expect(await blobExists(h, second.backupName)).toBe(true);
    for (const name of foreign) expect(await blobExists(h, name)).toBe(true);
    expect(report.plan.find((i) => i.backupName === second.backupName)).toMatchObject({ action: 'keep', reason: 'restorable' });
  });

  it("never deletes look-alike backups that are not apim-dr's, nor those of an instance the config does not name, unless retired", async () => {
    const h = await start();
    const ours = await backupNow(h, WEU);
    const container = h.sandbox.container();
    const put = async (name: string, body: string, tags?: Record<string, string>) => {
      await container.getBlockBlobClient(name).upload(body, Buffer.byteLength(body), tags ? { tags } : {});
    };
    const stem = (service: string, day: string) => `${service}.202603${day}T000000Z.manual`;
    const ourManifest = (await h.services.catalog.read(ours.backupName))!.manifest;
    const apimDrTags = (service: string) => ({
      service,
      createdAt: '2026-03-01T00:00:00.000Z',
      expiresAt: '2026-03-31T00:00:00.000Z',
      state: 'succeeded',
      trigger: 'manual',
    });
    // 1. not JSON at all; 2. another tool's JSON; 3. an apim-dr-shaped manifest without index tags; 4. a valid, tagged
    // apim-dr manifest copied from another storage account; 5. an instance this config does not name (a second deployment's); 6. tagged, but not JSON.
    const lookAlikes = [
      { stem: stem(WEU, '02'), manifest: 'not json', tags: undefined },
      { stem: stem(WEU, '03'), manifest: JSON.stringify({ tool: 'other-exporter', files: 3 }), tags: undefined },
      { stem: stem(WEU, '04'), manifest: JSON.stringify({ ...ourManifest, backupName: `${stem(WEU, '04')}.apimbackup` }), tags: undefined },
      {
        stem: stem(WEU, '05'),
        manifest: JSON.stringify({ ...ourManifest, backupName: `${stem(WEU, '05')}.apimbackup`, storageAccount: 'someoneelse' }),
        tags: apimDrTags(WEU),
      },
      {
        stem: stem('other-team-apim', '06'),
        manifest: JSON.stringify({ ...ourManifest, backupName: `${stem('other-team-apim', '06')}.apimbackup` }),
        tags: apimDrTags('other-team-apim'),
      },
      // Tagged like apim-dr's but not JSON: the check right before a delete refuses it, and the sweep goes on.
      { stem: stem(WEU, '07'), manifest: 'tagged, but not json', tags: apimDrTags(WEU) },
    ];
    for (const l of lookAlikes) {
      await put(`${l.stem}.apimbackup`, "someone else's export", l.tags);
      await put(`${l.stem}.manifest.json`, l.manifest, l.tags);
      // apim-dr lists only its own copies (state container): the tagged ones get one, as an earlier deployment's or a
      // damaged copy would be, so that the check right before a delete is what refuses them.
      if (l.tags)
        await h.sandbox
          .stateContainer()
          .getBlockBlobClient(`manifests/${l.stem}.manifest.json`)
          .upload(l.manifest, Buffer.byteLength(l.manifest), { tags: l.tags });
    }
    await h.clock.advance(45 * DAY);
    await backupNow(h, WEU);
    const report = await sweepNow(h);

    for (const l of lookAlikes) {
      expect(await blobExists(h, `${l.stem}.apimbackup`), l.stem).toBe(true);
      expect(await blobExists(h, `${l.stem}.manifest.json`), l.stem).toBe(true);
    }
    // Ours, expired and superseded, went (in the sweep after the new backup); the look-alikes stayed.
    expect(await blobExists(h, ours.backupName)).toBe(false);
    expect(report.applied?.foreign?.sort()).toEqual([`${stem(WEU, '05')}.apimbackup`, `${stem(WEU, '07')}.apimbackup`]);
    const foreignEvents = h.logs.filter((r) => r['event'] === 'apim-dr.catalog.foreign');
    expect(foreignEvents).toContainEqual(expect.objectContaining({ count: 3 }));
    expect(foreignEvents).toContainEqual(
      expect.objectContaining({ backupName: `${stem(WEU, '05')}.apimbackup`, reason: expect.stringContaining('someoneelse') }),
    );

    // Named as retired by the operator, the other instance's backup goes (it is a valid, tagged apim-dr backup here).
    const { planSweep } = await import('../../src/workflows/sweep/planSweep.js');
    const plan = await planSweep(h.services, undefined, ['other-team-apim']);
    expect(plan.items.filter((i: SweepItem) => i.service === 'other-team-apim').map((i: SweepItem) => [i.backupName, i.action])).toEqual([
      [`${stem('other-team-apim', '06')}.apimbackup`, 'delete'],
    ]);
  });

  it('retires old restore records, keeping the newest per target and all younger than the retention, with their audit in telemetry', async () => {
    const h = await start({ recordsKept: 3 });
    const record = (target: string, at: Date) => {
      const recordName = `restores/${target}.${at
        .toISOString()
        .replace(/[-:]/g, '')
        .replace(/\.\d{3}Z$/, 'Z')}.000abcd.json`;
      const body = JSON.stringify({
        schemaVersion: 1,
        recordName,
        source: WEU,
        target,
        targetId: `/subscriptions/x/resourceGroups/rg/providers/Microsoft.ApiManagement/service/${target}`,
        requestedBy: 'ops@contoso.example',
        correlationId: 'c',
        owner: 'o',
        requestedAt: at.toISOString(),
        state: 'succeeded',
        findings: [],
      });
      return { recordName, body };
    };
    // Ten syncs, 20 days apart, into one standby: 180 days back to now.
    const written = Array.from({ length: 10 }, (_, i) => record('contoso-apim-neu', new Date(h.clock.now().getTime() - i * 20 * DAY)));
    for (const r of written) await h.sandbox.stateContainer().getBlockBlobClient(r.recordName).upload(r.body, Buffer.byteLength(r.body));
    const report = await sweepNow(h);
    // Its own arithmetic: kept when among the newest 3, or younger than 90 days (i * 20 < 90: i <= 4).
    const expected = written.filter((_, i) => i >= 3 && i * 20 >= 90).map((r) => r.recordName);
    expect(report.retiredRecords?.sort()).toEqual(expected.sort());
    for (const [i, r] of written.entries())
      expect(await h.sandbox.stateContainer().getBlobClient(r.recordName).exists(), r.recordName).toBe(!(i >= 3 && i * 20 >= 90));
    const audits = h.logs.filter((l) => l['event'] === 'apim-dr.restore.record-retired');
    expect(audits.map((a) => a['recordName']).sort()).toEqual(expected.sort());
    expect(audits[0]).toMatchObject({ requestedBy: 'ops@contoso.example', state: 'succeeded', target: 'contoso-apim-neu' });
  });

  it('archives an expired backup instead, keeping its manifest marked expired for audit', async () => {
    const h = await start({ expiredAction: 'archive' });
    const first = await backupNow(h, WEU);
    await h.clock.advance(5 * DAY);
    await backupNow(h, WEU);
    await h.clock.advance(26 * DAY);
    const report = await sweepNow(h);

    expect(report.applied?.archived).toEqual([first.backupName]);
    const properties = await h.sandbox.container().getBlobClient(first.backupName).getProperties();
    expect(properties.accessTier).toBe('Archive');
    const manifest = (await h.services.catalog.read(first.backupName))!.manifest;
    expect(manifest).toMatchObject({ state: 'expired', archivedAt: expect.stringMatching(/^2026-04-01T/) });
    expect((await h.services.catalog.list(WEU)).find((e) => e.backupName === first.backupName)).toMatchObject({
      state: 'expired',
      archivedAt: manifest.archivedAt,
    });
    // Nothing more to do the next day.
    await h.clock.advance(DAY);
    expect((await sweepNow(h)).applied).toEqual({ deleted: [], archived: [], marked: [], refused: [], foreign: [] });
  });

  it("keeps an instance's last restorable backup past a shorter retention, and retires it once a newer one exists", async () => {
    const h = await start({ retention: 'P7D' });
    const only = await backupNow(h, WEU);
    await h.clock.advance(10 * DAY);
    const report = await sweepNow(h);
    expect(report.plan.find((i) => i.backupName === only.backupName)).toMatchObject({ action: 'keep', reason: 'newest-restorable' });
    expect(await blobExists(h, only.backupName)).toBe(true);

    // The sweep that follows every backup retires it.
    const next = await backupNow(h, WEU);
    expect(next.state).toBe('succeeded');
    expect(await blobExists(h, only.backupName)).toBe(false);
  });

  it('lists the instance after a backup only when the index shows something of it old enough to retire', async () => {
    const h = await start();
    const scanned = () => scan.mock.calls.filter(([service]) => service === WEU).length;
    const scan = vi.spyOn(h.services.catalog, 'scan');
    // The first backup: the index knows nothing yet of the instance's older entries, so its sweep lists them.
    const first = await backupNow(h, WEU);
    expect(scanned()).toBe(1);
    await h.clock.advance(10 * DAY);
    const second = await backupNow(h, WEU);
    expect(scanned()).toBe(1);
    expect(await blobExists(h, first.backupName)).toBe(true);

    // Past the first one's 30 days: this sweep lists (to plan, and again to confirm before deleting), deletes it, and
    // keeps the second.
    await h.clock.advance(21 * DAY);
    const third = await backupNow(h, WEU);
    expect(scanned()).toBe(3);
    expect(await blobExists(h, first.backupName)).toBe(false);
    expect(await h.services.catalog.read(first.backupName)).toBeUndefined();
    expect(await blobExists(h, second.backupName)).toBe(true);
    expect(await blobExists(h, third.backupName)).toBe(true);

    // The index keeps what that listing showed: the next backup's sweep lists nothing until the second one is due.
    await h.clock.advance(DAY);
    await backupNow(h, WEU);
    expect(scanned()).toBe(3);
    await h.clock.advance(9 * DAY);
    await backupNow(h, WEU);
    expect(scanned()).toBe(5);
    expect(await blobExists(h, second.backupName)).toBe(false);
  });

  it('renews instances with no restorable backup, starting one backup each even when two sweeps ask', async () => {
    const h = await start();
    const first = await sweepNow(h);
    expect(first.renewals?.started.sort()).toEqual(['contoso-apim-dev', 'contoso-apim-neu', 'contoso-apim-weu']);
    // The backups are still running when the next sweep asks: they are joined, not repeated.
    const second = await sweepNow(h);
    expect(second.renewals).toEqual({ started: [], coalesced: expect.arrayContaining(['contoso-apim-weu']) });
    for (const id of h.host.engine.instances.keys()) if (id.startsWith('backup-')) await runToCompletion(h, id);
    for (const name of ['contoso-apim-weu', 'contoso-apim-neu', 'contoso-apim-dev']) {
      expect(h.sandbox.apim.count('backup.post', name)).toBe(1);
      expect((await h.services.catalog.list(name)).map((e) => e.state)).toEqual(['succeeded']);
    }
    expect(h.logs.filter((l) => l['event'] === 'apim-dr.backup.renewal')).toHaveLength(6);
  });

  it('reports a delete that storage refuses, records it, and leaves it alone for a week', async () => {
    const h = await start();
    const held = await backupNow(h, WEU);
    await h.clock.advance(10 * DAY);
    await backupNow(h, WEU);
    // A lease stands in for an immutability policy or legal hold: storage refuses the delete.
    await h.sandbox.container().getBlobClient(held.backupName).getBlobLeaseClient().acquireLease(-1);
    await h.clock.advance(21 * DAY);

    const report = await sweepNow(h);
    expect(report.applied?.refused).toEqual([{ backupName: held.backupName, code: 'LeaseIdMissing', message: expect.any(String) }]);
    expect(await blobExists(h, held.backupName)).toBe(true);
    expect((await h.services.catalog.read(held.backupName))!.manifest).toMatchObject({ state: 'expired', deleteRefused: { code: 'LeaseIdMissing' } });
    expect(h.logs.some((l) => l['event'] === 'apim-dr.sweep.delete-refused' && l['backupName'] === held.backupName)).toBe(true);

    await h.clock.advance(DAY);
    const nextDay = await sweepNow(h);
    expect(nextDay.plan.find((i) => i.backupName === held.backupName)).toMatchObject({ action: 'keep', reason: 'delete-refused' });
    expect(nextDay.applied?.refused).toEqual([]);
  });

  it('previews without changing anything on a dry run', async () => {
    const h = await start();
    const first = await backupNow(h, WEU);
    await h.clock.advance(31 * DAY);
    const report = await sweepNow(h, true);
    expect(report.plan.find((i) => i.backupName === first.backupName)).toMatchObject({ action: 'delete', reason: 'expired' });
    expect(report.applied).toBeUndefined();
    expect(report.renewals).toBeUndefined();
    expect(await blobExists(h, first.backupName)).toBe(true);
  });

  it('warns on every tick about an instance with no restorable backup, and about an RPO breach', async () => {
    // A yearly schedule, so the tick itself starts nothing after the first backups.
    h = await startHarness({ config: (sandbox) => sandbox.config({ schedule: '0 0 2 1 1 *' }) });
    await h.host.invokeTimer('scheduleTick');
    const none = h.logs.filter((l) => l['event'] === 'apim-dr.restorable.none').map((l) => l['service']);
    expect(none.sort()).toEqual(['contoso-apim-dev', 'contoso-apim-neu', 'contoso-apim-weu']);
    for (const id of [...h.host.engine.instances.keys()]) await runToCompletion(h, id);

    await h.clock.advance(25 * 3_600_000);
    await h.host.invokeTimer('scheduleTick');
    const breaches = h.logs.filter((l) => l['event'] === 'apim-dr.rpo.breach');
    expect(breaches.map((l) => l['service']).sort()).toEqual(['contoso-apim-dev', 'contoso-apim-neu', 'contoso-apim-weu']);
    expect(breaches[0]).toMatchObject({ level: 'warn', newestBackup: expect.stringMatching(/\.scheduled\.apimbackup$/), ageMs: expect.any(Number) });
  });
});
