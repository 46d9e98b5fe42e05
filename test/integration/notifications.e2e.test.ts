import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backupNow, runToCompletion, startHarness, type Harness } from '../support/harness';
import { startWebhook, WEBHOOK_SECRET } from '../support/webhook';
import { IncidentStore } from '../../src/azure/incidentStore';
import { JsonBlobStore } from '../../src/azure/jsonBlobStore';

describe('notifications', () => {
  let h: Harness;
  let webhook: Awaited<ReturnType<typeof startWebhook>>;

  async function start(status = 200) {
    webhook = await startWebhook(status);
    h = await startHarness({
      config: (sandbox) => ({ ...sandbox.config(), notifications: { webhooks: [{ urlSetting: 'OPS_WEBHOOK_URL' }] } }),
      settings: { OPS_WEBHOOK_URL: webhook.url },
    });
  }

  afterEach(async () => {
    await h.close();
    await webhook.close();
  });

  const failBackup = async (service: string) => {
    h.sandbox.apim.failNextOperation(service, { code: 'StorageAccessDenied', message: 'denied by the storage firewall' });
    return backupNow(h, service);
  };

  const tick = async () => {
    await h.host.invokeTimer('scheduleTick');
    for (const instance of [...h.host.engine.instances.values()]) await runToCompletion(h, instance.instanceId);
  };

  describe('to a webhook that works', () => {
    beforeEach(() => start());

    it('sends one message when backups of an instance start failing and one when they succeed again', async () => {
      await failBackup('contoso-apim-weu');
      await failBackup('contoso-apim-weu');
      await failBackup('contoso-apim-weu');
      await backupNow(h, 'contoso-apim-weu');
      await backupNow(h, 'contoso-apim-weu');
      expect(webhook.received.map((m) => m.text)).toEqual([
        expect.stringMatching(/^\[apim-dr\] Backup of contoso-apim-weu failed: StorageAccessDenied: denied by the storage firewall \(/),
        expect.stringMatching(/^\[apim-dr\] Resolved: Backups of contoso-apim-weu succeed again \(since /),
      ]);
    });

    it('announces an instance without a restorable backup once, across ticks, and its recovery once', async () => {
      await backupNow(h, 'contoso-apim-weu');
      await tick(); // neu and dev have no backup yet: one message each; the tick starts their first backups
      await tick(); // now every instance has one: one recovery message each
      await tick(); // nothing changed: nothing sent
      const texts = webhook.received.map((m) => m.text).sort();
      expect(texts).toEqual([
        expect.stringMatching(/^\[apim-dr\] Resolved: contoso-apim-dev has a restorable backup again/),
        expect.stringMatching(/^\[apim-dr\] Resolved: contoso-apim-neu has a restorable backup again/),
        expect.stringMatching(/^\[apim-dr\] contoso-apim-dev has no restorable backup: it cannot be rebuilt/),
        expect.stringMatching(/^\[apim-dr\] contoso-apim-neu has no restorable backup: it cannot be rebuilt/),
      ]);
    });
  });

  describe('of incidents nothing observes again', () => {
    beforeEach(() => start());

    it('closes the deletion of an instance no longer in the fleet on the next tick, and of one whose backup succeeds, each once', async () => {
      const at = h.clock.now().toISOString();
      await h.services.notifier.observe([
        { kind: 'instance.deleted', subject: 'contoso-apim-gone', active: true, at },
        { kind: 'instance.deleted', subject: 'contoso-apim-weu', active: true, at },
      ]);
      await tick(); // weu has no backup: the tick starts one, and it succeeds
      await tick();
      const resolved = webhook.received.map((m) => m.text).filter((t) => t.includes('Resolved') && t.includes('deleted'));
      expect(resolved.sort()).toEqual([
        expect.stringMatching(/^\[apim-dr\] Resolved: contoso-apim-gone is no longer reported deleted: it is no longer in the configured or discovered fleet/),
        expect.stringMatching(/^\[apim-dr\] Resolved: contoso-apim-weu is no longer reported deleted: a backup of it succeeded/),
      ]);
      expect(Object.keys((await new IncidentStore(new JsonBlobStore(h.sandbox.stateContainer())).read()).book)).toEqual([]);
    });
  });

  describe('to a webhook that fails', () => {
    beforeEach(() => start(500));

    it('logs the failed delivery without its URL, and the backup it reported on is unaffected', async () => {
      const result = await failBackup('contoso-apim-dev');
      expect(result.state).toBe('failed');
      expect(webhook.received).toHaveLength(1);
      const failed = h.logs.filter((r) => r['event'] === 'apim-dr.notification.failed');
      expect(failed).toMatchObject([{ kind: 'backup.failed', subject: 'contoso-apim-dev', webhook: 'OPS_WEBHOOK_URL', error: 'the webhook answered 500' }]);
      expect(JSON.stringify(h.logs)).not.toContain(WEBHOOK_SECRET);
    });
  });
});
