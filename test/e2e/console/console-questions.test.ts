import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Reply } from '../../../bot/ports.js';
import { startTestBot, type TestBot } from '../../support/start-test-bot.js';

// Ask Defender Experts in the dev console over real HTTP (the real bot in-process): the analyst asks, the
// expert persona sees the request in the queue feed, claims it, replies in its thread and resolves it; the
// analyst's own feed shows the reply as from Defender Experts. A persona cannot post where it cannot see.

let t: TestBot;
beforeAll(async () => {
  t = await startTestBot({ RELAY_SETTLE_MS: '0' });
});
afterAll(async () => {
  await t?.cleanup();
});

interface FeedPost {
  readonly messageId: string;
  readonly reply: Reply;
  readonly thread: readonly { readonly reply: Reply }[];
}

async function turn(body: Record<string, unknown>): Promise<{ status: number; replies: readonly Reply[] }> {
  const res = await fetch(`${t.url}/console/api/turn`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ deliveryId: randomUUID(), ...body }),
  });
  const json = (await res.json()) as { replies?: Reply[] };
  return { status: res.status, replies: json.replies ?? [] };
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

const json = (x: unknown): string => JSON.stringify(x);

it('lets the expert persona claim, answer and resolve a question from the queue', async () => {
  const asked = await turn({
    personaId: 'contoso-analyst',
    text: 'ask Is the 03:00 sign-in from Lagos expected?',
  });
  const id = /Question (Q-[0-9A-Z]+)/.exec(json(asked.replies))?.[1] as string;
  expect(id).toBeDefined();
  const card = await until(
    async () => (await feed('web:experts-queue')).find((p) => json(p.reply).includes(id)),
    'the queue card in the experts’ feed',
  );
  expect(json(card.reply)).toContain('Contoso');

  const claimed = await turn({ personaId: 'expert', action: { verb: 'question.claim', data: { id } } });
  expect(json(claimed.replies)).toContain('Claimed by');

  const answer = await turn({
    personaId: 'expert',
    text: 'Expected: the user is travelling. <!channel> [x](https://evil.example)',
    conversation: 'web:experts-queue',
    threadId: card.messageId,
  });
  expect(answer.status).toBe(200);
  const relayed = await until(
    async () => (await feed('web:contoso-analyst')).find((p) => json(p.reply).includes('travelling')),
    'the answer in the analyst’s feed',
  );
  expect(json(relayed.reply)).toContain('Defender Experts');
  expect(json(relayed.reply.card)).not.toContain('[x](https://evil.example)');

  const resolved = await turn({ personaId: 'expert', action: { verb: 'question.resolve', data: { id } } });
  expect(json(resolved.replies)).toContain('Resolved');
  const mine = await turn({ personaId: 'contoso-analyst', text: 'questions' });
  expect(json(mine.replies)).toContain(id);
  expect(json(mine.replies)).toContain('Resolved');
  const queue = await turn({ personaId: 'expert', text: 'questions' });
  expect(json(queue.replies)).not.toContain(id);
});

it('refuses a thread in a conversation the persona does not see', async () => {
  const res = await turn({
    personaId: 'contoso-analyst',
    text: 'hello',
    conversation: 'web:experts-queue',
    threadId: 'web-msg-1',
  });
  expect(res.status).toBe(400);
});
