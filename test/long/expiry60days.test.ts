import { afterEach, describe, expect, it } from 'vitest';
import { isRestorable } from '../../src/domain/expiry';
import { startHarness, type Harness } from '../support/harness';

const HOUR = 3_600_000;
const DAYS = Number(process.env['APIM_DR_TEST_DAYS'] ?? 60);

describe('60 days of hands-off operation', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
  });

  it('keeps every instance restorable at every hour, with daily schedules and one backup in ten failing', async () => {
    let operations = 0;
    h = await startHarness({
      timers: true,
      start: new Date('2026-01-01T00:00:00Z'),
      durationMs: () => 12 * 60_000,
      // Deterministic 10%: every tenth backup operation fails when it completes.
      failOperation: (kind) => (kind === 'backup' && ++operations % 10 === 0 ? { code: 'InternalServerError', message: 'the backup failed' } : undefined),
      config: (sandbox) => sandbox.config({ schedule: '0 0 2 * * *', defaults: { pollInterval: 'PT1M' } }),
      // An hourly tick (an app setting, as in Azure) keeps 60 simulated days quick; the logic is the same.
      settings: { APIM_DR_TICK_SCHEDULE: '0 0 * * * *' },
    });
    const names = h.sandbox.apim.listServices().map((s) => s.spec.name);
    const protectedSince = new Map<string, Date>();
    const gaps: string[] = [];
    for (let hour = 1; hour <= DAYS * 24; hour++) {
      await h.clock.advance(HOUR);
      const now = h.clock.now();
      const entries = await h.services.catalog.list();
      for (const name of names) {
        const restorable = entries.some((e) => e.service === name && isRestorable(e, now, h!.services.config.defaults.restoreMargin));
        if (restorable && !protectedSince.has(name)) protectedSince.set(name, now);
        if (!restorable && protectedSince.has(name)) gaps.push(`${name} at ${now.toISOString()}`);
      }
    }
    expect(gaps).toEqual([]);
    expect([...protectedSince.keys()].sort()).toEqual([...names].sort());

    const attempts = h.sandbox.apim.count('backup.post');
    const entries = await h.services.catalog.list();
    const failed = h.logs.filter((l) => l['event'] === 'apim-dr.backup.failed').length;
    // Every tenth operation fails when it completes; those still running at the end (the last started) have not yet.
    const stillRunning = entries.filter((e) => e.state === 'running').length;
    expect(failed).toBe(Math.floor((attempts - stillRunning) / 10));
    // Nothing expired is left behind for more than a day (the sweep runs daily, and after each backup), and every
    // instance has about 30 days of backups.
    const dayAgo = h.clock.now().getTime() - 24 * HOUR;
    expect(entries.filter((e) => Date.parse(e.expiresAt) <= dayAgo && e.state !== 'running').map((e) => e.backupName)).toEqual([]);
    for (const name of names)
      expect(entries.filter((e) => e.service === name && e.state === 'succeeded').length).toBeGreaterThanOrEqual(Math.min(DAYS, 30) - 2);
  }, 600_000);
});
