import { afterEach, describe, expect, it } from 'vitest';
import { canonicalServiceId } from '../../src/domain/resourceId';
import { SANDBOX_SUBSCRIPTION } from '../../dev/sandbox/startSandbox';
import type { SandboxServiceSpec } from '../../dev/sandbox/model';
import { startHarness, type Harness } from '../support/harness';

describe('scheduled backups', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('backs up every instance on its daily schedule, hands-off, for two days', async () => {
    // An RPO the daily schedule can hold (a day, plus room for a backup and a retry): the schedule alone decides.
    h = await startHarness({ timers: true, start: new Date('2026-03-01T00:00:00Z'), config: (sandbox) => sandbox.config({ defaults: { rpo: 'P1DT1H' } }) });
    await h.clock.advance(2 * 86_400_000 + 3 * 3_600_000);
    const backups = await h.services.catalog.list();
    for (const name of ['contoso-apim-weu', 'contoso-apim-neu', 'contoso-apim-dev']) {
      const mine = backups.filter((b) => b.service === name);
      // First tick (never backed up), then 02:00 on 1, 2 and 3 March.
      expect(mine.map((b) => b.createdAt.slice(0, 16))).toEqual(['2026-03-03T02:00', '2026-03-02T02:00', '2026-03-01T02:00', '2026-03-01T00:05']);
      expect(mine.every((b) => b.state === 'succeeded' && b.trigger === 'scheduled')).toBe(true);
    }
  });

  it('holds a 6-hour RPO on a 6-hourly schedule through failed backups, judged every 10 minutes by its own arithmetic', async () => {
    const RPO = 6 * 3_600_000;
    h = await startHarness({
      timers: true,
      start: new Date('2026-03-01T00:00:00Z'),
      durationMs: () => 20 * 60_000,
      failOperation: (kind, spec) =>
        kind === 'backup' && spec.name === 'contoso-apim-weu' && ++weuBackups % 4 === 0 ? { code: 'BackupFailed', message: 'injected' } : undefined,
      config: (sandbox) => sandbox.config({ schedule: '0 0 */6 * * *', defaults: { rpo: 'PT6H' } }),
    });
    let weuBackups = 0;
    let firstRestorable: number | undefined;
    const worst = new Map<string, number>();
    for (let t = 0; t < 2 * 24 * 6; t++) {
      await h.clock.advance(10 * 60_000);
      const now = h.clock.now().getTime();
      const entries = await h.services.catalog.list();
      for (const name of ['contoso-apim-weu', 'contoso-apim-neu', 'contoso-apim-dev']) {
        // Restorable now: succeeded, and completed by now. The RPO counts from when it was created.
        const done = entries.filter((m) => m.service === name && m.state === 'succeeded' && Date.parse(m.completedAt!) <= now);
        if (done.length === 0) continue;
        firstRestorable ??= now;
        const age = now - Math.max(...done.map((m) => Date.parse(m.createdAt)));
        worst.set(name, Math.max(worst.get(name) ?? 0, age));
      }
    }
    expect(weuBackups).toBeGreaterThanOrEqual(8);
    for (const [name, age] of worst) expect(age, name).toBeLessThanOrEqual(RPO);
    expect(worst.size).toBe(3);
  }, 180_000);

  it('keeps at most the configured number of backups running per subscription, starting the rest on later ticks', async () => {
    const specs: SandboxServiceSpec[] = Array.from({ length: 5 }, (_, i) => ({
      subscriptionId: SANDBOX_SUBSCRIPTION,
      resourceGroup: 'rg-fleet',
      name: `fleet-${i}`,
      location: 'West Europe',
      sku: { name: 'Standard', capacity: 1 },
    }));
    h = await startHarness({
      timers: true,
      services: specs,
      durationMs: () => 7 * 60_000,
      config: (sandbox) => ({
        ...sandbox.config(),
        defaults: { pollInterval: 'PT30S', concurrencyPerSubscription: 2 },
        services: specs.map((s) => ({ id: canonicalServiceId(s.subscriptionId, s.resourceGroup, s.name) })),
      }),
    });
    await h.clock.advance(40 * 60_000);
    const manifests = await Promise.all((await h.services.catalog.list()).map(async (e) => (await h!.services.catalog.read(e.backupName))!.manifest));
    expect(manifests).toHaveLength(5);
    expect(manifests.every((m) => m.state === 'succeeded')).toBe(true);
    // At no moment were more than two of them running.
    const edges = manifests.flatMap((m) => [
      { at: Date.parse(m.startedAt), delta: 1 },
      { at: Date.parse(m.completedAt!), delta: -1 },
    ]);
    edges.sort((a, b) => a.at - b.at || a.delta - b.delta);
    let running = 0;
    let peak = 0;
    for (const edge of edges) peak = Math.max(peak, (running += edge.delta));
    expect(peak).toBe(2);
    const ticks = h.logs.filter((l) => l['event'] === 'apim-dr.schedule.tick' && (l['started'] as number) > 0).map((l) => l['started']);
    expect(ticks).toEqual([2, 2, 1]);
  });
});
