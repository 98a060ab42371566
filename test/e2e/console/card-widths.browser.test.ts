import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type TestBrowser } from '../../support/browser.js';
import { startTestBot, type TestBot } from '../../support/start-test-bot.js';

// The report, check-in and messages cards (and the incident cards whose button labels the console's narrow
// pane used to cut) rendered by the official Adaptive Cards renderer in headless Chromium, at Teams' narrowest
// card width (320 px) and at full width, with the console's own host config and styles: no text or button
// label may be cut, nothing may overflow the card, the renderer reports no issue; screenshots are kept.

const ARTIFACTS = join(process.cwd(), 'test-artifacts');
const WIDTHS = [320, 760] as const;
let bot: TestBot;
let chromium: TestBrowser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  bot = await startTestBot({ RELAY_SETTLE_MS: '0' });
  chromium = await launchChromium();
  const context = await chromium.browser.newContext({
    viewport: { width: 1440, height: 1200 },
    deviceScaleFactor: 1,
  });
  page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(`${bot.url}/`);
  await page.locator('#persona option').first().waitFor({ state: 'attached' });
  await mkdir(ARTIFACTS, { recursive: true });
}, 60_000);

afterAll(async () => {
  await chromium?.close();
  await bot?.cleanup();
});

interface Rendered {
  readonly id: string;
  readonly cut: string[];
  readonly overflow: number;
  readonly issues: number;
  readonly text: string;
}

/**
 * Runs one console turn and renders every card reply in a box `width` px wide; reports what got cut. The
 * page code is a string: a function would be rewritten by the test runner's module transform.
 */
async function renderAt(personaId: string, text: string, width: number): Promise<Rendered[]> {
  const args = JSON.stringify({ personaId, text, width, deliveryId: randomUUID() });
  return page.evaluate(`(async ({ personaId, text, width, deliveryId }) => {
    const { api } = await import('/console/assets/api.js');
    const { renderCard, cardIssues } = await import('/console/assets/cards.js');
    const { replies } = await api('/turn', { personaId, deliveryId, text });
    const out = [];
    for (const [i, reply] of replies.entries()) {
      if (!reply.card) continue;
      const before = cardIssues.length;
      const { element } = renderCard(reply.card, 'width test', () => undefined);
      const box = document.createElement('div');
      box.id = 'w-' + deliveryId + '-' + i;
      box.style.cssText = 'width:' + width + 'px;margin:8px;background:#fff;';
      box.appendChild(element);
      document.body.appendChild(box);
      await new Promise((r) => requestAnimationFrame(() => r(null)));
      const cut = [];
      for (const node of box.querySelectorAll('.ac-pushButton, .ac-pushButton *, .ac-textBlock, .ac-textBlock *, .ac-factset td')) {
        const style = getComputedStyle(node);
        const wider = node.scrollWidth > node.clientWidth + 1;
        if (wider && (style.overflow !== 'visible' || style.textOverflow === 'ellipsis'))
          cut.push((node.textContent || '').trim());
      }
      out.push({ id: box.id, cut, overflow: Math.max(0, box.scrollWidth - width), issues: cardIssues.length - before, text: box.textContent || '' });
    }
    return out;
  })(${args})`);
}

async function check(name: string, personaId: string, text: string, expected: RegExp): Promise<void> {
  for (const width of WIDTHS) {
    const cards = await renderAt(personaId, text, width);
    expect(cards.length, `${name} at ${width}`).toBeGreaterThan(0);
    expect(cards.map((c) => c.text).join(' ')).toMatch(expected);
    for (const [i, c] of cards.entries()) {
      expect(c.cut, `${name} #${i} at ${width}px: cut labels`).toEqual([]);
      expect(c.overflow, `${name} #${i} at ${width}px: horizontal overflow`).toBe(0);
      expect(c.issues, `${name} #${i}: renderer issues`).toBe(0);
      await page
        .locator(`#${c.id}`)
        .screenshot({ path: join(ARTIFACTS, `card-${name}-${i}-${width}px.png`) });
    }
  }
}

describe('cards at 320 px and full width in the official renderer', () => {
  it('renders the report card', async () => {
    await check('report', 'contoso-analyst', 'report 90d', /Defender Experts report/);
  });

  it('renders the business-review confirmation', async () => {
    await check(
      'report-post',
      'sdm:dana@provider.example',
      'report contoso 2026-10',
      /October 2026|Defender Experts report/,
    );
  });

  it('renders the check-in card', async () => {
    await check('checkin', 'sdm:dana@provider.example', 'checkin start contoso', /Readiness check-in/);
    await check('checkin-customer', 'contoso-analyst', 'checkin', /Readiness check-in/);
  });

  it('renders the messages card for a customer and for the experts', async () => {
    await renderAt('contoso-analyst', 'ask Is the sign-in from Lagos expected?', 760);
    await check('messages', 'contoso-analyst', 'messages', /Managed response/);
    await check('messages-experts', 'expert', 'messages', /Messages across your customers/);
  });

  it('renders the incident list and an incident without cutting button labels', async () => {
    await check('incidents', 'contoso-analyst', 'incidents all', /#/);
    const [list] = await renderAt('contoso-analyst', 'incidents awaiting', 760);
    const id = /#(\d+)/.exec(list?.text ?? '')?.[1];
    expect(id).toBeDefined();
    await check('incident', 'contoso-analyst', `incident ${id}`, /Guided response/);
    await check('help', 'contoso-analyst', 'help', /messages/);
    expect(pageErrors).toEqual([]);
  });
});
