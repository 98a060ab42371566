import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { browserEnv } from './child-env.js';

// Launches Debian's Chromium (never a downloaded browser) headless with a fresh profile for browser
// tests. A missing Chromium is a failure with instructions, not a skip: the renderer test must run.

export interface TestBrowser {
  readonly browser: Browser;
  close(): Promise<void>;
}

/** The Chromium binary: CHROMIUM_PATH, else Debian's /usr/bin/chromium. */
export const chromiumPath = (): string => process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Launches Chromium; throws a clear error when the binary is missing. playwright's `launch` gives every
 * browser a fresh temporary user-data dir of its own (and deletes it on close); it refuses --user-data-dir.
 */
export async function launchChromium(): Promise<TestBrowser> {
  const executablePath = chromiumPath();
  if (!existsSync(executablePath)) {
    throw new Error(
      `Chromium not found at ${executablePath}. Install it (Debian/Ubuntu: sudo apt-get install chromium) or set CHROMIUM_PATH to a Chromium binary. Browser tests never download browsers.`,
    );
  }
  const args = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--no-first-run',
    '--disable-sync',
    '--disable-quic',
  ];
  const browser = await chromium.launch({ executablePath, args, headless: true, env: browserEnv() });
  return { browser, close: () => browser.close() };
}
