/**
 * The dashboard of a 1,000-instance fleet in Chromium: 20 unprotected and 40 at-risk instances among 940 healthy
 * ones in 50 subscriptions, each with 30 days of backups. It opens on the problems, grouped by state and then by
 * subscription with a count per group, the healthy groups collapsed; and it still prints every row.
 */
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderDashboard } from '../../src/dashboard/renderDashboard';
import type { DashboardView } from '../../src/workflows/status/dashboardView';
import { browserAvailable, launchChromium } from './chromium';

const OUT = join(__dirname, '..', '..', 'test-results');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.parse('2026-06-01T12:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

/** A thousand instances: i < 20 unprotected, i < 60 at risk, the rest protected; subscription i % 50. */
function fleetView(): DashboardView {
  const instances: DashboardView['instances'] = Array.from({ length: 1000 }, (_, i) => {
    const name = `apim-${String(i).padStart(4, '0')}`;
    const subscription = `${String(i % 50).padStart(8, '0')}-0000-0000-0000-000000000000`;
    const protection = i < 20 ? 'unprotected' : i < 60 ? 'at-risk' : 'protected';
    const backups =
      protection === 'unprotected'
        ? []
        : Array.from({ length: 30 }, (_, d) => {
            const created = NOW - (d + (protection === 'at-risk' ? 2 : 0)) * DAY - 10 * HOUR;
            return { backupName: `${name}.${d}.scheduled.apimbackup`, createdAt: iso(created), expiresAt: iso(created + 30 * DAY) };
          });
    // A backup a day, each day a column of its own.
    const timeline = backups.map((b) => ({ day: b.createdAt.slice(0, 10), succeeded: 1, expired: 0, failed: 0, running: 0 })).reverse();
    const newest = backups[0];
    return {
      service: name,
      id: `/subscriptions/${subscription}/resourceGroups/rg-${i % 7}/providers/Microsoft.ApiManagement/service/${name}`,
      protection,
      reasons: protection === 'unprotected' ? ['no restorable backup'] : protection === 'at-risk' ? ['newest restorable backup is older than the RPO'] : [],
      rpoMs: DAY,
      newestRestorable: newest && {
        backupName: newest.backupName,
        createdAt: newest.createdAt,
        expiresAt: newest.expiresAt,
        ageMs: NOW - Date.parse(newest.createdAt),
        expiresInMs: Date.parse(newest.expiresAt) - NOW,
      },
      standbys: [],
      platform: 'stv2',
      timeline,
    };
  });
  return {
    at: iso(NOW),
    summary: { protected: 940, 'at-risk': 40, unprotected: 20 },
    onStv1: 0,
    armUnreachable: [],
    instances,
    timelineStart: iso(NOW - 35 * DAY),
    restoreWindowStart: iso(NOW - 30 * DAY),
  };
}

describe.runIf(browserAvailable)('the dashboard of a 1,000-instance fleet in Chromium', () => {
  let browser: Browser;
  let page: Page;
  let bytes: number;

  beforeAll(async () => {
    const html = renderDashboard(fleetView());
    bytes = Buffer.byteLength(html);
    mkdirSync(OUT, { recursive: true });
    writeFileSync(join(OUT, 'dashboard-1000.html'), html);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await page.goto(`file://${join(OUT, 'dashboard-1000.html')}`);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('groups by state, problems first, then by subscription, with a count per group', async () => {
    const groups = await page
      .locator('details.group')
      .evaluateAll((all) =>
        all.map((d) => ({ level: d.getAttribute('data-level'), count: d.querySelectorAll('tbody tr').length, open: d.hasAttribute('open') })),
      );
    expect(groups.map((g) => g.level)).toEqual([...Array(20).fill('unprotected'), ...Array(40).fill('at-risk'), ...Array(50).fill('protected')]);
    expect(groups.reduce((n, g) => n + g.count, 0)).toBe(1000);
    const summaries = await page.locator('details.group > summary').allInnerTexts();
    expect(summaries[0]).toMatch(/^Unprotected 1 instance in subscription 00000000-/);
    expect(summaries.at(-1)).toMatch(/^Protected 19 instances in subscription 00000049-/);
  });

  it('opens on the problems: every problem row is shown, every healthy group collapsed', async () => {
    const groups = page.locator('details.group');
    expect(await groups.evaluateAll((all) => all.filter((d) => d.getAttribute('data-level') !== 'protected').every((d) => d.hasAttribute('open')))).toBe(true);
    expect(await groups.evaluateAll((all) => all.filter((d) => d.getAttribute('data-level') === 'protected').some((d) => d.hasAttribute('open')))).toBe(false);
    expect(await page.locator('tr[data-service="apim-0000"]').isVisible()).toBe(true);
    expect(await page.locator('tr[data-service="apim-0500"]').isVisible()).toBe(false);
    // The first problem is on the first screen, and the page is the problems' length, not a thousand rows'.
    expect((await page.locator('tr[data-service="apim-0000"]').boundingBox())!.y).toBeLessThan(768);
    const height = await page.evaluate<number>('document.documentElement.scrollHeight');
    const problemRows = await page
      .locator('tr[data-protection="unprotected"], tr[data-protection="at-risk"]')
      .evaluateAll((rows) => rows.reduce((sum, r) => sum + r.getBoundingClientRect().height, 0));
    // The problem rows, a header and table head per group (110 groups), the page header: nowhere near 1,000 rows.
    expect(height).toBeLessThan(problemRows + 120 * 110 + 800);
    await page.screenshot({ path: join(OUT, 'dashboard-1000.png'), fullPage: true });
    expect(statSync(join(OUT, 'dashboard-1000.png')).size).toBeGreaterThan(10_000);
    console.log(JSON.stringify({ instances: 1000, pageBytes: bytes, scrollHeightPx: height }));
  });

  it('opens a healthy group with a click, no script needed, and prints every row', async () => {
    await page.locator('details.group[data-level="protected"] > summary').first().click();
    expect(await page.locator('tr[data-service="apim-0100"]').isVisible()).toBe(true);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('tr[data-service="apim-0501"]').isVisible()).toBe(true);
    expect(await page.locator('script').count()).toBe(0);
  });
});
