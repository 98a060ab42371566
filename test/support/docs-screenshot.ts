import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium } from './browser.js';
import { repoRoot, spawnBot } from './spawn-bot.js';

// Draws docs/images/console.png, the README's picture of the dev console: the real `npm start` process
// on a fresh data folder, the expert handing an incident to Contoso, Contoso's responder opening it,
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

  // As the expert: create an incident for Contoso, investigate, classify and hand it off, so Contoso's
  // alerts channel shows the live handoff card beside the chat.
  await page.selectOption('#persona', 'expert');
  const panel = page.locator('#sim-panel');
  await panel.waitFor();
  await page.selectOption('#sim-customer', 'contoso');
  await panel.locator('tbody tr').first().waitFor();
  await panel.locator('button[data-sim="create"]').click();
  await panel.locator('.sim-status', { hasText: /Created incident \d+/ }).waitFor();
  const created = /Created incident (\d+)/.exec(
    (await panel.locator('.sim-status').textContent()) ?? '',
  )?.[1];
  const row = panel.locator(`tr[data-incident="${created}"]`);
  await row.click();
  await panel.locator('button[data-sim="start"]').click();
  await panel.locator(`tr[data-incident="${created}"][data-status="inProgress"]`).waitFor();
  await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/console/api/sim/classify')),
    panel.locator('button[data-sim="classify"]').click(),
  ]);
  await panel.locator('button[data-sim="handoff"]').click();
  await panel.locator(`tr[data-incident="${created}"][data-status="awaitingAction"]`).waitFor();

  // As Contoso's responder: the alert has arrived; ask what awaits and open the incident just handed off.
  await page.selectOption('#persona', 'contoso-responder');
  await page
    .locator('#alerts-pane .alert-post', { hasText: `Incident ${created} ` })
    .waitFor({ timeout: 15_000 });
  await page.fill('#message', `incident ${created}`);
  await page.press('#message', 'Enter');
  const cards = page.locator('.transcript:not([hidden]) .msg.bot .ac-adaptiveCard');
  await cards.first().waitFor();
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
