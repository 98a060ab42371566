import { randomUUID } from 'node:crypto';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reply } from '../../../bot/ports.js';
import { startTestBot, type TestBot } from '../../support/start-test-bot.js';

// The SDM features through the dev console's HTTP API against the real bot (SQLite, simulation): the
// report's chart at a local signed link (no PUBLIC_BASE_URL), and a check-in the SDM starts that lands in the
// customer's channel pane, updated by the customer and by nobody else.

let t: TestBot;
beforeAll(async () => {
  t = await startTestBot({ RELAY_SETTLE_MS: '0' });
});
afterAll(async () => {
  await t?.cleanup();
});

async function turn(
  personaId: string,
  body: { text?: string; action?: unknown; conversation?: string; threadId?: string },
): Promise<readonly Reply[]> {
  const res = await fetch(`${t.url}/console/api/turn`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ personaId, deliveryId: randomUUID(), ...body }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { replies: Reply[] }).replies;
}
const texts = (replies: readonly Reply[]): string => replies.map((r) => r.text).join('\n');

interface FeedPost {
  readonly messageId: string;
  readonly reply: Reply;
  readonly thread: readonly { readonly reply: Reply }[];
}
async function feed(conversation: string): Promise<readonly FeedPost[]> {
  const res = await fetch(
    `${t.url}/console/api/alerts?conversation=${encodeURIComponent(conversation)}&since=0`,
  );
  return ((await res.json()) as { posts: FeedPost[] }).posts;
}
async function until<T>(check: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 100; i += 1) {
    const v = await check();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('SDM features in the dev console', () => {
  it('serves the report chart at a local signed link, and refuses it once tampered with', async () => {
    const [reply] = await turn('contoso-analyst', { text: 'report 90d' });
    const url = /"url":"(http:\/\/127\.0\.0\.1:\d+\/reports\/contoso\/[^"]+\/chart\.png[^"]+)"/.exec(
      JSON.stringify(reply?.card),
    )?.[1];
    expect(url).toBeDefined();
    const res = await fetch(String(url));
    expect(res.status).toBe(200);
    // Drawn at 2× its CSS width, which follows the labels: far wider than a card shows it.
    expect(PNG.sync.read(Buffer.from(await res.arrayBuffer())).width).toBeGreaterThan(1000);
    expect((await fetch(String(url).replace('/contoso/', '/fabrikam/'))).status).toBe(403);
  });

  it('posts the SDM’s check-in to the customer’s channel pane; only the customer’s people and SDM update it', async () => {
    const started = await turn('sdm:dana@provider.example', { text: 'checkin start contoso' });
    expect(texts(started)).toMatch(/Posted check-in #1 to 1 Contoso Ltd channel/);
    const feed = (await (
      await fetch(
        `${t.url}/console/api/alerts?conversation=${encodeURIComponent('web:alerts:contoso')}&since=0`,
      )
    ).json()) as { posts: { reply: Reply }[] };
    expect(feed.posts.some((p) => /Readiness check-in #1/.test(p.reply.text))).toBe(true);
    const save = (personaId: string) =>
      turn(personaId, {
        action: {
          verb: 'checkin.save',
          data: { customer: 'contoso', key: 'readiness:devices', itemState: 'planned', itemOwner: 'Alex' },
        },
      });
    expect(texts(await save('fabrikam-admin'))).toMatch(/No such checklist/);
    expect(texts(await save('sdm:sam@provider.example'))).toMatch(/No such checklist/);
    expect(texts(await turn('contoso-analyst', { text: 'checkin' }))).not.toMatch(/Planned/);
    const saved = await save('contoso-analyst');
    expect(saved[0]?.mode).toBe('replace');
    expect(texts(await turn('contoso-analyst', { text: 'checkin' }))).toMatch(
      /Onboard the remaining devices.*— Planned/,
    );
  });

  it('brings a customer’s message to the SDM persona’s direct messages, and the SDM’s thread reply back', async () => {
    const sent = await turn('contoso-analyst', { text: 'sdm Can we move the business review to Thursday?' });
    expect(texts(sent)).toMatch(/reached Dana Reyes \(dev console direct messages\)/);
    const dm = 'web:dm:dana@provider.example';
    const root = await until(
      async () => (await feed(dm)).find((p) => JSON.stringify(p.reply).includes('Thursday')),
      'the message in Dana’s direct messages',
    );
    expect(root.reply.text).toMatch(/Message from Contoso Ltd/);
    await turn('sdm:dana@provider.example', {
      text: 'Thursday 10:00 works.',
      conversation: dm,
      threadId: root.messageId,
    });
    const back = await until(
      async () => (await feed('web:contoso-analyst')).find((p) => JSON.stringify(p).includes('10:00 works')),
      'the SDM’s answer in the analyst’s feed',
    );
    expect(JSON.stringify(back)).toContain('Your SDM (Dana Reyes)');
    // Another SDM may not post into Dana's direct messages at all.
    const res = await fetch(`${t.url}/console/api/turn`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        personaId: 'sdm:sam@provider.example',
        deliveryId: randomUUID(),
        text: 'hijack',
        conversation: dm,
        threadId: root.messageId,
      }),
    });
    expect(res.status).toBe(400);
  });
});
