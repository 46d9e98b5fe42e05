/**
 * ARM outages in the middle of an operation: monitoring outlives them on durable timers, an operation that loses
 * its watcher is adopted again by the schedule tick, and no activity sleeps ARM's Retry-After.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { BackupSummary } from '../../src/workflows/backup/types';
import type { RestoreSummary } from '../../src/workflows/restore/types';
import { backupNow, runToCompletion, startHarness, type Harness } from '../support/harness';
import { startWebhook } from '../support/webhook';

const WEU = 'contoso-apim-weu';
const NEU = 'contoso-apim-neu';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('ARM outages mid-operation', () => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
  });

  /** Every ARM request fails with 503 until the returned function ends the outage. */
  const outage = () => {
    h.sandbox.apim.faults.add({ path: /./, fault: { kind: 'status', status: 503 }, times: Number.POSITIVE_INFINITY });
    return () => h.sandbox.apim.faults.clear();
  };

  it('a backup polled through a 90-minute outage is recorded as succeeded, its orchestration never failing', async () => {
    h = await startHarness({ durationMs: () => 20 * MINUTE });
    const response = await h.api('POST', '/api/backups', { service: WEU });
    await h.clock.advance(5 * MINUTE);
    const end = outage();
    await h.clock.advance(60 * MINUTE);
    const during = h.host.engine.instances.get(response.body.id)!;
    expect(during.runtimeStatus).toBe('Running');
    // The status users follow shows the watch's progress: the outage, with when it began.
    const followed = await h.api('GET', `/api/operations/${response.body.id}`);
    expect(followed.body.customStatus).toMatchObject({ phase: 'running', unreachableSince: expect.any(String) });
    await h.clock.advance(30 * MINUTE);
    end();
    const instance = await runToCompletion(h, response.body.id);
    expect(instance.runtimeStatus).toBe('Completed');
    const summary = instance.output as BackupSummary;
    expect(summary.state).toBe('succeeded');
    expect((await h.services.catalog.read(summary.backupName))!.manifest).toMatchObject({ state: 'succeeded', blobSize: expect.any(Number) });
    // Back-off while ARM was down: far fewer checks than one per 15-second poll over 90 minutes. (Each check that finds
    // the operation URL failing also asks the instance itself, so count the operation URL's requests alone.)
    const failedChecks = h.sandbox.apim.faults.injected.filter((f) => /operationresults/.test(f.path)).length;
    expect(failedChecks).toBeLessThan(40);
  });

  it('an outage longer than a backup can run hands over; once ARM answers, the tick adopts the backup and records its success', async () => {
    h = await startHarness({ durationMs: () => 20 * MINUTE });
    const response = await h.api('POST', '/api/backups', { service: WEU });
    await h.clock.advance(5 * MINUTE);
    const end = outage();
    const handedOver = await runToCompletion(h, response.body.id, 12 * HOUR);
    expect(handedOver.runtimeStatus).toBe('Completed');
    const summary = handedOver.output as BackupSummary;
    expect(summary).toMatchObject({ state: 'running', error: { code: 'ArmUnreachable' } });
    expect((await h.services.catalog.read(summary.backupName))!.manifest.state).toBe('running');
    end();

    await h.host.invokeTimer('scheduleTick');
    const tick = h.logs.filter((r) => r['event'] === 'apim-dr.schedule.tick').at(-1)!;
    expect(tick['reconciled']).toEqual([summary.backupName]);
    await h.clock.runUntil(async () => (await h.services.catalog.read(summary.backupName))!.manifest.state !== 'running', HOUR);
    expect((await h.services.catalog.read(summary.backupName))!.manifest).toMatchObject({ state: 'succeeded' });
    // Counted at once: the instance is protected, and only one backup POST ever went out.
    const status = await h.api('GET', '/api/status');
    expect(status.body.instances.find((i: { service: string }) => i.service === WEU).newestRestorable.backupName).toBe(summary.backupName);
    expect(h.sandbox.apim.count('backup.post', WEU)).toBe(1);
  });

  it('a restore polled through a 2-hour outage is verified and recorded, never posted twice', async () => {
    h = await startHarness({ durationMs: (kind) => (kind === 'backup' ? MINUTE : 40 * MINUTE) });
    await backupNow(h, WEU);
    const response = await h.api('POST', '/api/restores', { source: WEU, target: NEU, confirm: NEU, preRestoreBackup: false });
    await h.clock.advance(10 * MINUTE);
    const end = outage();
    await h.clock.advance(2 * HOUR);
    expect(h.host.engine.instances.get(response.body.id)!.runtimeStatus).toBe('Running');
    end();
    const summary = (await runToCompletion(h, response.body.id)).output as RestoreSummary;
    expect(summary).toMatchObject({ state: 'succeeded', verification: { ok: true } });
    expect(h.sandbox.apim.count('restore.post')).toBe(1);
  });

  it('a restore whose outage outlasts it is handed over, then adopted by the tick and verified', async () => {
    h = await startHarness({ durationMs: (kind) => (kind === 'backup' ? MINUTE : 40 * MINUTE) });
    await backupNow(h, WEU);
    const response = await h.api('POST', '/api/restores', { source: WEU, target: NEU, confirm: NEU, preRestoreBackup: false });
    await h.clock.advance(10 * MINUTE);
    const end = outage();
    const handedOver = (await runToCompletion(h, response.body.id, 14 * HOUR)).output as RestoreSummary;
    expect(handedOver).toMatchObject({ state: 'running', error: { code: 'ArmUnreachable' } });
    end();
    await h.host.invokeTimer('scheduleTick');
    expect(h.logs.filter((r) => r['event'] === 'apim-dr.schedule.tick').at(-1)!['reconciled']).toEqual([handedOver.recordName]);
    await h.clock.runUntil(async () => (await h.services.restores.read(handedOver.recordName))!.record.state !== 'running', HOUR);
    expect((await h.services.restores.read(handedOver.recordName))!.record).toMatchObject({ state: 'succeeded', verification: { ok: true } });
    expect(h.sandbox.apim.count('restore.post')).toBe(1);
  });

  it('a day-long outage: the tick starts nothing there, one incident covers it, status says since when; after it, due backups start at the next tick', async () => {
    const webhook = await startWebhook();
    try {
      h = await startHarness({
        durationMs: () => 10 * MINUTE,
        config: (sandbox) => ({ ...sandbox.config({ schedule: '0 0 */6 * * *' }), notifications: { webhooks: [{ urlSetting: 'OPS_WEBHOOK_URL' }] } }),
        settings: { OPS_WEBHOOK_URL: webhook.url },
      });
      const tick = async () => {
        await h.host.invokeTimer('scheduleTick');
        return h.logs.filter((r) => r['event'] === 'apim-dr.schedule.tick').at(-1)!;
      };
      const finishAll = async () => {
        for (const instance of [...h.host.engine.instances.values()]) await runToCompletion(h, instance.instanceId);
      };
      await tick();
      await finishAll();
      const end = outage();
      const requestsBefore = h.sandbox.apim.requests.length;
      // A day of ticks every 30 minutes, with every instance due every 6 hours.
      for (let i = 0; i < 48; i++) {
        await h.clock.advance(30 * MINUTE);
        const during = await tick();
        expect(during['started']).toBe(0);
      }
      expect(h.sandbox.apim.count('backup.post')).toBe(3);
      // One probe per tick in the one sandbox subscription (and the SDK's two quick retries of each).
      expect(h.sandbox.apim.requests.length - requestsBefore).toBeLessThanOrEqual(48 * 3);
      const status = await h.api('GET', '/api/status');
      expect(status.body.armUnreachable).toEqual([{ subscriptionId: expect.any(String), since: expect.any(String), message: expect.any(String) }]);
      expect(await fetch(`${h.host.origin}/api/dashboard`).then((r) => r.text())).toContain('ARM unreachable since');
      const texts = webhook.received.map((m) => m.text);
      expect(texts.filter((t) => t.includes('does not answer'))).toHaveLength(1);
      expect(texts.filter((t) => t.includes('outside its RPO'))).toEqual([]);

      end();
      const after = await tick();
      expect(after['started']).toBe(3);
      expect(after['armUnreachable']).toEqual([]);
      await finishAll();
      expect(webhook.received.map((m) => m.text).filter((t) => t.includes('answers again'))).toHaveLength(1);
      expect((await h.api('GET', '/api/status')).body.armUnreachable).toEqual([]);
    } finally {
      await webhook.close();
    }
  }, 120_000);

  it("leaves a long Retry-After to the orchestrator's durable timer instead of sleeping it in the activity", async () => {
    h = await startHarness({ durationMs: () => 30 * MINUTE });
    const response = await h.api('POST', '/api/backups', { service: WEU });
    await h.clock.advance(MINUTE);
    h.sandbox.apim.faults.add({ method: 'GET', path: /operationresults/, fault: { kind: 'status', status: 429, retryAfterSeconds: 600 }, times: 3 });
    const wallStart = performance.now();
    const summary = (await runToCompletion(h, response.body.id)).output as BackupSummary;
    expect(summary.state).toBe('succeeded');
    expect(h.sandbox.apim.count('fault.429')).toBe(3);
    // Three 10-minute Retry-Afters slept in activities would take 30 minutes of wall time.
    expect(performance.now() - wallStart).toBeLessThan(60_000);
  });
});
