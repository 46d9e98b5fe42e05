/** Debian's Chromium, driven by playwright-core: `.ci/run` installs it; elsewhere set APIM_DR_CHROMIUM or install it. */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env['APIM_DR_CHROMIUM'] ?? '/usr/bin/chromium';

/** In CI a missing browser fails the run; on a developer's machine the browser tests are skipped instead. */
export const browserAvailable = existsSync(CHROMIUM) || process.env['CI'] === 'true';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-extensions', '--no-first-run'],
  });
}
