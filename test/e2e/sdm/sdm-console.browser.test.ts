import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type TestBrowser } from '../../support/browser.js';
import { startTestBot, type TestBot } from '../../support/start-test-bot.js';

// The SDM cards in the dev console in headless Chromium with the official Adaptive Cards renderer: the
// report's chart loads from its signed link (a real PNG of the expected size), the SDM card's form opens,
// validates and sends, and the SDM's check-in card renders with its Update form.

const ARTIFACTS = join(process.cwd(), 'test-artifacts');
let bot: TestBot;
let chromium: TestBrowser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  bot = await startTestBot({ RELAY_SETTLE_MS: '0' });
  chromium = await launchChromium();
  const context = await chromium.browser.newContext({ viewport: { width: 1440, height: 1200 } });
  page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(`${bot.url}/`);
  await page.locator('#persona option').first().waitFor({ state: 'attached' });
});

afterAll(async () => {
  await chromium?.close();
  await bot?.cleanup();
});

const visible = '.transcript:not([hidden])';
const botCards = (p: Page) => p.locator(`${visible} .msg.bot .ac-adaptiveCard`);
const say = async (text: string): Promise<void> => {
  await page.fill('#message', text);
  await page.press('#message', 'Enter');
};

describe('SDM cards in the dev console', () => {
  it('renders the report with its chart loaded from the signed link', async () => {
    await page.selectOption('#persona', 'contoso-analyst');
    await say('report 90d');
    const card = botCards(page).last();
    await card.waitFor();
    expect(await card.textContent()).toContain('Defender Experts report');
    const img = card.locator('img[src*="/reports/contoso/"]');
    await img.waitFor();
    // Drawn at 2× for high-density screens: far wider than the card shows it.
    await expect
      .poll(() => img.evaluate((el) => (el as HTMLImageElement).naturalWidth))
      .toBeGreaterThan(1200);
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'console-report.png') });
  });

  it('opens the escalation form from the SDM card, refuses an empty reason, then sends', async () => {
    await say('sdm');
    const card = botCards(page).last();
    await card.waitFor();
    expect(await card.textContent()).toContain('Dana Reyes');
    const before = await botCards(page).count();
    await card.locator('button.ac-pushButton', { hasText: /^Escalate$/ }).click();
    await expect.poll(() => botCards(page).last().textContent()).toContain('Escalate to your SDM');
    const form = botCards(page).last();
    await form.locator('button.ac-pushButton', { hasText: /^Send$/ }).click();
    // Either the renderer's own required-field check or the bot's answer: nothing is sent.
    await page.waitForTimeout(500);
    const sentEarly = (await page.locator(`${visible}`).textContent()) ?? '';
    expect(sentEarly).not.toContain('reached Dana Reyes');
    await form
      .locator('textarea, input[type="text"]')
      .last()
      .fill('The handoff for incident 42 came three hours late.');
    await form.locator('button.ac-pushButton', { hasText: /^Send$/ }).click();
    await expect
      .poll(async () => (await page.locator(visible).textContent()) ?? '')
      .toContain('reached Dana Reyes');
    expect(await botCards(page).count()).toBeGreaterThanOrEqual(before);
  });

  it('renders the SDM’s check-in card and its Update form', async () => {
    await page.selectOption('#persona', 'sdm:dana@provider.example');
    await say('checkin start contoso');
    await expect
      .poll(async () => (await page.locator(visible).textContent()) ?? '')
      .toContain('Readiness check-in #1');
    const card = botCards(page).filter({ hasText: 'Readiness check-in #1' }).last();
    await card
      .locator('button.ac-pushButton', { hasText: /^Update$/ })
      .first()
      .click();
    await expect.poll(async () => (await page.locator(visible).textContent()) ?? '').toContain('Due date');
    await page.screenshot({ path: join(ARTIFACTS, 'console-checkin.png') });
    expect(pageErrors).toEqual([]);
  });
});
