/**
 * GET /api/dashboard in a real browser: 20 sandbox instances in mixed states, read the way a person reads
 * the page (visible text, per row), on a laptop-sized screen and in print. Saves a screenshot and a PDF.
 */
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from '../support/harness';
import { FLEET, startMixedFleet } from '../support/mixedFleet';
import { browserAvailable, launchChromium } from './chromium';

const OUT = join(__dirname, '..', '..', 'test-results');

describe.runIf(browserAvailable)('the dashboard page in Chromium', () => {
  let h: Harness;
  let browser: Browser;
  let page: Page;
  const requests: string[] = [];

  beforeAll(async () => {
    h = await startMixedFleet();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    page.on('request', (request) => requests.push(request.url()));
    const response = await page.goto(`${h.host.origin}/api/dashboard`);
    expect(response?.status()).toBe(200);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  const rowText = (service: string) => page.locator(`tr[data-service="${service}"]`).innerText();

  it('says how many instances are protected, at risk and unprotected', async () => {
    const summary = await page.locator('.summary').innerText();
    expect(summary.replace(/\s+/g, ' ')).toBe('10 protected 5 at risk 5 unprotected');
    expect(await page.locator('tbody tr').count()).toBe(20);
  });

  it('lists the unprotected instances first, then those at risk', async () => {
    const levels = await page.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-protection')));
    expect(levels).toEqual([...Array(5).fill('unprotected'), ...Array(5).fill('at-risk'), ...Array(10).fill('protected')]);
  });

  it('shows a protected instance with its backup age against the RPO, and when it expires', async () => {
    const text = await rowText('fleet-01');
    expect(text).toContain('Protected');
    expect(text).toMatch(/\b(59m|1h( \d+m)?) old \(RPO 1d 1h\)/);
    expect(text).toMatch(/expires in 29d 2\dh /);
    expect(text).toContain('1 succeeded');
  });

  it('says why an instance is at risk', async () => {
    for (const service of FLEET.rpoBreached) {
      const text = await rowText(service);
      expect(text).toContain('At risk');
      expect(text).toContain('newest restorable backup is older than the RPO');
      expect(text).toMatch(/\b1d [56]h old \(RPO 1d 1h\)/);
    }
    for (const service of FLEET.lastFailed) {
      const text = await rowText(service);
      expect(text).toContain('last backup failed');
      expect(text).toContain('StorageAccessDenied the storage firewall refused the backup');
      expect(text).toContain('1 succeeded · 1 failed');
    }
  });

  it('says why an instance is unprotected: never backed up, only failures, or only expired backups', async () => {
    for (const service of FLEET.neverBackedUp) {
      const text = await rowText(service);
      expect(text).toContain('Unprotected');
      expect(text).toContain('no backups');
      expect(text).toContain('None');
    }
    expect(await rowText(FLEET.onlyFailed[0])).toContain('1 failed');
    for (const service of FLEET.onlyExpired) {
      const text = await rowText(service);
      expect(text).toContain('no restorable backup');
      expect(text).toContain('1 expired');
    }
  });

  it('draws each backup on the timeline in its state, inside or outside the restorable window', async () => {
    const marks = async (service: string) =>
      page.locator(`tr[data-service="${service}"] rect.mark`).evaluateAll((rects) => rects.map((r) => r.getAttribute('data-state')));
    expect(await marks('fleet-10')).toEqual(['failed', 'succeeded']);
    expect(await marks('fleet-15')).toEqual(['expired']);
    const window = await page.locator('tr[data-service="fleet-15"] rect.window').boundingBox();
    const expired = await page.locator('tr[data-service="fleet-15"] rect.mark').boundingBox();
    expect(expired!.x + expired!.width).toBeLessThanOrEqual(window!.x);
  });

  it('shows the running backup and the standby behind its primary, with the last restore, its RTO and who ran it', async () => {
    expect(await rowText(FLEET.running)).toContain('Backup running');
    const weu = await rowText('contoso-apim-weu');
    expect(weu).toMatch(/contoso-apim-neu: 2h( \d+m)? behind \(sync: manual\)/);
    expect(weu).toMatch(/last restore succeeded, RTO \d+m[^,]*, [^\n]*, by anonymous \(HTTP authentication off\)/);
  });

  it('reloads itself every minute, so a wall screen stays current without a script', async () => {
    expect(await page.locator('meta[http-equiv="refresh"]').getAttribute('content')).toBe('60');
    expect(await page.locator('script').count()).toBe(0);
  });

  it('fits a laptop screen, loads nothing from elsewhere, and prints', async () => {
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    expect(requests.filter((url) => !url.startsWith(h.host.origin))).toEqual([]);
    mkdirSync(OUT, { recursive: true });
    await page.screenshot({ path: join(OUT, 'dashboard.png'), fullPage: true });
    await page.emulateMedia({ media: 'print' });
    await page.pdf({ path: join(OUT, 'dashboard.pdf'), format: 'A4', landscape: true, printBackground: true });
    expect(statSync(join(OUT, 'dashboard.png')).size).toBeGreaterThan(10_000);
    expect(statSync(join(OUT, 'dashboard.pdf')).size).toBeGreaterThan(10_000);
  });
});
