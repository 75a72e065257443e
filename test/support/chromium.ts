import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium (no browser download: playwright-core only). */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Whether the browser tests can run. CI (.ci/run installs Debian's chromium) must run them; a
 * developer machine without Chromium skips them with a notice rather than failing `npm test`.
 */
export function chromiumAvailable(testName: string): boolean {
  const available = existsSync(CHROMIUM);
  if (!available && process.env.CI) throw new Error(`Chromium is not installed at ${CHROMIUM}; .ci/run installs Debian's chromium`);
  if (!available) console.warn(`${testName} skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`);
  return available;
}

/**
 * Headless Chromium as this machine runs it: without the background-networking flags it keeps
 * trying to reach Google's hosts, which the closed network refuses.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
