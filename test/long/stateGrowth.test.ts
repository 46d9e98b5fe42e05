/**
 * The state container stays bounded: 30 virtual days hands-off on the local host and the sandbox, one instance backed
 * up every 6 hours and synced to its standby after each backup, a daily one, the app's own ticks and daily sweep,
 * with a records retention of ten days. Each operation leaves events, a restore record and an approval record; the
 * sweep retires them past the retention. Counted once a virtual day by folder: after the retention, the count stops
 * growing (`APIM_DR_STATE_GROWTH_DAYS` runs longer or shorter).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { canonicalServiceId } from '../../src/domain/resourceId';
import { startHarness, type Harness } from '../support/harness';

const HOUR = 3_600_000;
const DAYS = Number(process.env['APIM_DR_STATE_GROWTH_DAYS'] ?? 30);
const RETENTION_DAYS = 10;

describe(`${DAYS} days of state`, () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
  });

  it('keeps the state container flat once the records retention has passed: logs, records and approvals retired with it', async () => {
    h = await startHarness({
      timers: true,
      start: new Date('2026-01-05T00:00:00Z'),
      durationMs: (kind) => (kind === 'backup' ? 15 * 60_000 : 30 * 60_000),
      config: (sandbox) => {
        const specs = sandbox.apim.listServices().map((s) => s.spec);
        const id = (name: string) => {
          const s = specs.find((x) => x.name === name)!;
          return canonicalServiceId(s.subscriptionId, s.resourceGroup, s.name);
        };
        return sandbox.config({
          defaults: { pollInterval: 'PT5M', recordRetention: `P${RETENTION_DAYS}D`, recordsKept: 2 },
          services: [
            { id: id('contoso-apim-weu'), schedule: '0 0 */6 * * *', rpo: 'PT7H', standbys: [{ id: id('contoso-apim-neu'), sync: 'after-backup' }] },
            { id: id('contoso-apim-dev'), schedule: '0 0 2 * * *', rpo: 'P1DT1H' },
          ],
        });
      },
      settings: { APIM_DR_TICK_SCHEDULE: '0 0 * * * *' },
    });
    const state = h.sandbox.stateContainer();
    const perDay: { day: number; total: number; byFolder: Record<string, number> }[] = [];
    for (let day = 1; day <= DAYS; day++) {
      for (let hour = 0; hour < 24; hour++) await h.clock.advance(HOUR);
      const byFolder: Record<string, number> = {};
      let total = 0;
      for await (const blob of state.listBlobsFlat()) {
        const folder = blob.name.slice(0, blob.name.indexOf('/') + 1) || blob.name;
        byFolder[folder] = (byFolder[folder] ?? 0) + 1;
        total += 1;
      }
      perDay.push({ day, total, byFolder });
    }
    console.log(JSON.stringify({ days: DAYS, retentionDays: RETENTION_DAYS, last: perDay[perDay.length - 1], totals: perDay.map((d) => d.total) }));
    expect(DAYS, 'a run long enough to pass the retention').toBeGreaterThan(RETENTION_DAYS + 2);

    // Past the retention and a sweep's slack, the count of what the sweep retires stops growing with the days.
    const settled = perDay[RETENTION_DAYS + 2 - 1]!;
    const last = perDay[perDay.length - 1]!;
    for (const folder of ['logs/', 'restores/', 'approvals/']) {
      expect(last.byFolder[folder] ?? 0, folder).toBeLessThanOrEqual(Math.ceil((settled.byFolder[folder] ?? 0) * 1.15) + 2);
    }
  }, 3_600_000);
});
