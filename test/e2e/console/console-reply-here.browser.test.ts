import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchChromium, type TestBrowser } from '../../support/browser.js';
import { startTestBot, type TestBot } from '../../support/start-test-bot.js';

// In real Chromium: the SDM request card in the analyst's own feed says "reply in this thread", and it has
// a reply box that sends into that thread; what the analyst wrote is shown under the card.

let bot: TestBot;
let chromium: TestBrowser;
let page: Page;

beforeAll(async () => {
  bot = await startTestBot({ RELAY_SETTLE_MS: '0' });
  chromium = await launchChromium();
  page = await (await chromium.browser.newContext({ viewport: { width: 1440, height: 960 } })).newPage();
});

afterAll(async () => {
  await chromium?.close();
  await bot?.cleanup();
});

it('answers "reply in this thread" from the reply box under the card', async () => {
  await page.goto(`${bot.url}/`);
  await page.locator('#persona option').first().waitFor({ state: 'attached' });
  await page.selectOption('#persona', 'contoso-analyst');
  await page.fill('#message', 'sdm Please call me about the renewal');
  await page.press('#message', 'Enter');
  const own = page.locator('.alerts-feed[data-conversation="web:contoso-analyst"]');
  const post = own.locator('.alert-post', { hasText: 'about the renewal' });
  await post.waitFor({ timeout: 15_000 });
  await expect.poll(() => own.locator('.feed-label').textContent()).toContain('Your requests');
  await post.locator('input.thread-reply').fill('Mornings are best');
  await post.locator('.thread-form button').click();
  await expect
    .poll(() => own.locator('.alert-post', { hasText: 'about the renewal' }).textContent(), {
      timeout: 10_000,
    })
    .toContain('You: Mornings are best');
  // The request card reached the chat where it was asked, too.
  await expect
    .poll(() => page.locator('.transcript:not([hidden])').textContent(), { timeout: 10_000 })
    .toContain('in this thread');
  // It reached the SDM's thread.
  await expect
    .poll(
      async () => {
        const res = await fetch(
          `${bot.url}/console/api/alerts?conversation=${encodeURIComponent('web:dm:dana@provider.example')}&since=0`,
        );
        return JSON.stringify(await res.json());
      },
      { timeout: 10_000 },
    )
    .toContain('Mornings are best');
  // Dana answers in her thread: the answer shows in the analyst's chat, where the request was made.
  const dm = `${bot.url}/console/api/alerts?conversation=${encodeURIComponent('web:dm:dana@provider.example')}&since=0`;
  const posts = ((await (await fetch(dm)).json()) as { posts: { messageId: string }[] }).posts;
  const res = await fetch(`${bot.url}/console/api/turn`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      personaId: 'sdm:dana@provider.example',
      deliveryId: crypto.randomUUID(),
      text: 'Calling you at 9 then.',
      conversation: 'web:dm:dana@provider.example',
      threadId: posts[0]?.messageId,
    }),
  });
  expect(res.status).toBe(200);
  await expect
    .poll(() => page.locator('.transcript:not([hidden])').textContent(), { timeout: 15_000 })
    .toContain('Calling you at 9 then.');
}, 60_000);
