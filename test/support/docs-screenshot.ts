import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium } from './browser.js';
import { repoRoot, spawnBot } from './spawn-bot.js';

// Draws docs/images/console.png, the README's picture of the dev console: the real `npm start` process
// on a fresh data folder, Contoso's responder asking what awaits them and opening the first incident,
// captured by headless Chromium with the official renderer. Run: npx tsx test/support/docs-screenshot.ts

const dataDir = mkdtempSync(join(tmpdir(), 'deb-docs-'));
const bot = spawnBot({ DATA_DIR: dataDir, SIMULATION_STEP_SECONDS: '0' });
const chromium = await launchChromium();
try {
  const url = await bot.ready;
  const context = await chromium.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(`${url}/`);
  await page.locator('#persona option').first().waitFor({ state: 'attached' });
  await page.selectOption('#persona', 'contoso-responder');
  await page.fill('#message', 'incidents awaiting');
  await page.press('#message', 'Enter');
  const cards = page.locator('.transcript:not([hidden]) .msg.bot .ac-adaptiveCard');
  await cards.first().waitFor();
  await cards
    .first()
    .locator('button.ac-pushButton', { hasText: /^Open / })
    .first()
    .click();
  await cards.nth(1).waitFor();
  await page.waitForTimeout(500);
  const out = join(repoRoot, 'docs', 'images', 'console.png');
  await page.screenshot({ path: out });
  process.stdout.write(`wrote ${out}\n`);
} finally {
  await chromium.close();
  bot.child.kill('SIGTERM');
  await bot.exited;
  rmSync(dataDir, { recursive: true, force: true });
}
