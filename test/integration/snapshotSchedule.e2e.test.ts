import { afterEach, describe, expect, it } from 'vitest';
import { TICK_SCHEDULE_SETTING } from '../../src/config/appSettings';
import { startHarness, type Harness } from '../support/harness';
import { V2, V2_SERVICES, v2Config } from '../support/v2Fleet';

describe('a Standard v2 instance protected by snapshots', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
  });

  it('gets its snapshots on its schedule, hands-off, and never a native backup', async () => {
    h = await startHarness({
      timers: true,
      // An hourly tick keeps this test light on a shared machine.
      settings: { [TICK_SCHEDULE_SETTING]: '0 0 * * * *' },
      services: V2_SERVICES,
      start: new Date('2026-03-01T00:00:00Z'),
      config: (sandbox) => {
        const config = v2Config(sandbox) as { services: Record<string, unknown>[]; defaults: Record<string, unknown> };
        for (const s of config.services) if (String(s.id).endsWith(`/${V2}`)) s.snapshots = { schedule: '0 0 */6 * * *', afterChange: true };
        return { ...config, defaults: { ...config.defaults, rpo: 'P1DT1H' } };
      },
    });
    await h.clock.advance(7 * 3_600_000);
    const snapshots = (await h.services.snapshots.list(V2)).map((s) => s.takenAt.slice(0, 16));
    expect(snapshots).toEqual(['2026-03-01T06:00', '2026-03-01T01:00']);
    // No native backup was tried: v2 has none.
    expect((await h.services.catalog.list()).filter((b) => b.service === V2)).toEqual([]);
    expect(h.sandbox.apim.count('backup.post', V2)).toBe(0);
    // Status shows it protected by its snapshots, and no alert calls it unprotected.
    const status = await h.api('GET', '/api/status');
    const v2 = status.body.instances.find((i: { service: string }) => i.service === V2);
    expect(v2).toMatchObject({
      protection: 'protected',
      reasons: [],
      snapshots: { only: true, rpoBreached: false, newest: { takenAt: '2026-03-01T06:00:00.000Z' } },
    });
    expect(h.logs.filter((l) => l['event'] === 'apim-dr.restorable.none' && l['service'] === V2)).toEqual([]);
    const dashboard = await fetch(`${h.host.origin}/api/dashboard`).then((r) => r.text());
    const row = dashboard.slice(dashboard.indexOf(`data-service="${V2}"`));
    expect(row.slice(0, row.indexOf('</tr>'))).toMatch(
      /data-protection="protected"[\s\S]*Configuration snapshots \(its protection: no native backup on this tier\): newest 1h ago/,
    );
  });
});
