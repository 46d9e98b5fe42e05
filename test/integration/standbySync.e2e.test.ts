import { afterEach, describe, expect, it } from 'vitest';
import { canonicalServiceId } from '../../src/domain/resourceId';
import { SAMPLE_SERVICES, SANDBOX_SUBSCRIPTION } from '../../dev/sandbox/startSandbox';
import type { RestoreSummary } from '../../src/workflows/restore/types';
import { backupNow, runToCompletion, startHarness, type Harness } from '../support/harness';
import { startWebhook } from '../support/webhook';

const WEU = 'contoso-apim-weu';
const NEU = 'contoso-apim-neu';
const DRILL = 'contoso-apim-drill';
const id = (rg: string, name: string) => canonicalServiceId(SANDBOX_SUBSCRIPTION, rg, name);
/** A spare Premium instance for drills, next to the sample fleet. */
const DRILL_SPEC = {
  ...SAMPLE_SERVICES[1]!,
  name: DRILL,
  resourceGroup: 'rg-apim-drill',
  hostnames: [],
  configuration: { apis: [], products: [], namedValues: [] },
};

describe('standby sync and drills (started by the schedule tick)', () => {
  let h: Harness;
  let webhook: Awaited<ReturnType<typeof startWebhook>> | undefined;
  afterEach(async () => {
    await h.close();
    await webhook?.close();
  });

  /** Only the primary is protected; the standby syncs as told and the drill target is a spare. */
  async function start(sync: string, drill?: string) {
    webhook = await startWebhook();
    h = await startHarness({
      services: [...SAMPLE_SERVICES, DRILL_SPEC],
      durationMs: (kind) => (kind === 'backup' ? 60_000 : 30 * 60_000),
      config: (sandbox) => ({
        ...sandbox.config(),
        notifications: { webhooks: [{ urlSetting: 'OPS_WEBHOOK_URL' }] },
        services: [
          {
            id: id('rg-apim-weu', WEU),
            standbys: [{ id: id('rg-apim-neu', NEU), sync }],
            ...(drill ? { drill: { schedule: drill, target: id('rg-apim-drill', DRILL) } } : {}),
          },
        ],
      }),
      settings: { OPS_WEBHOOK_URL: webhook.url },
    });
  }

  async function tick() {
    await h.host.invokeTimer('scheduleTick');
    return h.logs.filter((r) => r['event'] === 'apim-dr.schedule.tick').at(-1)!;
  }
  const restoresInto = (target: string) =>
    [...h.host.engine.instances.values()].filter((i) => i.name === 'restoreOrchestrator' && i.instanceId.startsWith(`restore-${target}-`));
  const finishRestoreInto = async (target: string) => runToCompletion(h, restoresInto(target)[0]!.instanceId);

  it('after-backup: restores each new backup into the standby, one at a time, a newer backup superseding a waiting one', async () => {
    await start('after-backup');
    const b1 = await backupNow(h, WEU);
    expect(await tick()).toMatchObject({ syncs: [`${WEU}→${NEU}`] });
    await h.clock.advance(5 * 60_000);

    // Two more backups while the first sync runs: the standby is busy, so both wait, and only the newer one goes.
    const b2 = await backupNow(h, WEU);
    await h.clock.advance(5 * 60_000);
    const b3 = await backupNow(h, WEU);
    expect(await tick()).toMatchObject({ syncs: [] });
    const first = (await finishRestoreInto(NEU)).output as RestoreSummary;
    expect(first).toMatchObject({ state: 'succeeded', purpose: 'sync', backupName: b1.backupName });

    expect(await tick()).toMatchObject({ syncs: [`${WEU}→${NEU}`] });
    expect(h.logs.filter((r) => r['event'] === 'apim-dr.sync.started').at(-1)).toMatchObject({ backupName: b3.backupName, superseded: [b2.backupName] });
    const second = (await finishRestoreInto(NEU)).output as RestoreSummary;
    expect(second).toMatchObject({ state: 'succeeded', purpose: 'sync', backupName: b3.backupName });
    expect(second.preRestoreBackup).toBeUndefined();
    expect(await tick()).toMatchObject({ syncs: [] });

    const records = await h.services.restores.recent(NEU);
    expect(records.map((r) => [r.backupName, r.requestedBy])).toEqual([
      [b3.backupName, 'sync:after-backup'],
      [b1.backupName, 'sync:after-backup'],
    ]);
    expect(h.sandbox.apim.count('restore.post')).toBe(2);
    const status = await h.api('GET', '/api/status');
    expect(status.body.instances[0].standbys[0]).toMatchObject({ service: NEU, sync: 'after-backup', state: 'in-sync', lagMs: 0 });
    expect(restoresInto(NEU)).toHaveLength(1);
  });

  it('manual: the tick never restores into the standby', async () => {
    await start('manual');
    await backupNow(h, WEU);
    expect(await tick()).toMatchObject({ syncs: [], drills: [] });
    expect(h.sandbox.apim.count('restore.post')).toBe(0);
  });

  it('drills on schedule: restores the newest backup into the drill target, verifies it, records the RTO, and shows it', async () => {
    await start('manual', '0 0 3 * * 0'); // Sundays 03:00 UTC; the harness starts on Sunday 2026-03-01 00:00
    const backup = await backupNow(h, WEU);
    // Never drilled: the first tick drills (the schedule last fired a week ago), then the schedule rules.
    expect(await tick()).toMatchObject({ drills: [`${WEU}→${DRILL}`] });
    const drill = (await finishRestoreInto(DRILL)).output as RestoreSummary;
    expect(drill).toMatchObject({ state: 'succeeded', purpose: 'drill', backupName: backup.backupName, verification: { ok: true } });
    expect(drill.rtoMs).toBeGreaterThanOrEqual(30 * 60_000);
    expect(h.sandbox.apim.service(DRILL).configuration.apis).toEqual(['orders', 'payments', 'catalog']);
    expect(h.logs.find((r) => r['event'] === 'apim-dr.drill.succeeded')).toMatchObject({ source: WEU, target: DRILL, rtoMs: drill.rtoMs });
    expect(await tick()).toMatchObject({ drills: [] });
    await h.clock.advance(3 * 3_600_000);
    expect(await tick()).toMatchObject({ drills: [`${WEU}→${DRILL}`] });
    await finishRestoreInto(DRILL);

    const status = await h.api('GET', '/api/status');
    expect(status.body.instances[0].lastDrill).toMatchObject({ target: DRILL, state: 'succeeded', backupName: backup.backupName, rtoMs: expect.any(Number) });
    const page = await fetch(`${h.host.origin}/api/dashboard`).then((r) => r.text());
    expect(page).toMatch(new RegExp(`Drill into ${DRILL}: <strong>passed</strong>, RTO 3\\dm`));
  });

  it('a failed drill sends one notification, and one when a later drill passes', async () => {
    await start('manual', '0 0 3 * * 0');
    await backupNow(h, WEU);
    h.sandbox.apim.tamperNextRestore(DRILL, (config) => config.products.pop());
    await tick();
    expect((await finishRestoreInto(DRILL)).output).toMatchObject({ state: 'failed', purpose: 'drill', error: { code: 'VerificationFailed' } });
    expect(h.logs.some((r) => r['event'] === 'apim-dr.drill.failed')).toBe(true);
    expect(webhook!.received.map((m) => m.text)).toEqual([expect.stringContaining(`The restore drill of ${WEU} failed: VerificationFailed`)]);
    const status = await h.api('GET', '/api/status');
    expect(status.body.instances[0].lastDrill).toMatchObject({ state: 'failed', error: expect.stringContaining('VerificationFailed') });

    await h.clock.advance(3 * 3_600_000);
    await tick();
    expect((await finishRestoreInto(DRILL)).output).toMatchObject({ state: 'succeeded', purpose: 'drill' });
    expect(webhook!.received.map((m) => m.text)).toEqual([expect.any(String), expect.stringContaining(`Resolved: The restore drill of ${WEU} passed`)]);
  });
});
