import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Reply } from '../../../bot/ports.js';
import { startTestBot, type TestBot } from '../../support/start-test-bot.js';

// The console over real HTTP: every card that says "reply in this thread" can be answered from the persona's
// own feed (its reply box posts into the post's thread), and a reply under an answer the console shows as a
// post reaches the request it answers; typing in the chat with one open request is passed on with Undo.

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

async function turn(body: Record<string, unknown>): Promise<readonly Reply[]> {
  const res = await fetch(`${t.url}/console/api/turn`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ deliveryId: randomUUID(), ...body }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { replies?: Reply[] }).replies ?? [];
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
const SDM = 'sdm:dana@provider.example';
const SDM_DM = 'web:dm:dana@provider.example';
const OWN = 'web:contoso-analyst';

it('answers an SDM’s "reply in this thread" from the customer’s own feed, both ways', async () => {
  await turn({ personaId: 'contoso-analyst', text: 'sdm Please call me about the renewal' });
  const root = await until(
    async () => (await feed(OWN)).find((p) => json(p.reply).includes('about the renewal')),
    'the request card in the analyst’s own feed',
  );
  expect(json(root.reply)).toContain('in this thread');
  const atDana = await until(
    async () => (await feed(SDM_DM)).find((p) => json(p.reply).includes('about the renewal')),
    'the request in Dana’s messages',
  );
  await turn({ personaId: SDM, text: 'Tomorrow at 10?', conversation: SDM_DM, threadId: atDana.messageId });
  await until(
    async () =>
      (await feed(OWN))
        .find((p) => p.messageId === root.messageId)
        ?.thread.find((l) => json(l.reply).includes('Tomorrow at 10?')),
    'Dana’s answer in the analyst’s thread',
  );
  // The analyst answers from the reply box under the card: into its thread, on to Dana.
  const replied = await turn({
    personaId: 'contoso-analyst',
    text: 'Yes, 10 works for me',
    conversation: OWN,
    threadId: root.messageId,
  });
  expect(json(replied)).not.toContain('did not understand');
  await until(
    async () =>
      (await feed(SDM_DM))
        .find((p) => p.messageId === atDana.messageId)
        ?.thread.find((l) => json(l.reply).includes('10 works for me')),
    'the analyst’s answer in Dana’s thread',
  );
});

it('passes a reply under an answer on to the question it answers', async () => {
  const asked = await turn({ personaId: 'contoso-analyst', text: 'ask Is the 03:00 sign-in expected?' });
  const id = /Question (Q-[0-9A-Z]+)/.exec(json(asked))?.[1] as string;
  const card = await until(
    async () => (await feed('web:experts-queue')).find((p) => json(p.reply).includes(id)),
    'the queue card',
  );
  await turn({
    personaId: 'expert',
    text: 'Which device was it?',
    conversation: 'web:experts-queue',
    threadId: card.messageId,
  });
  const answer = await until(
    async () => (await feed(OWN)).find((p) => json(p.reply).includes('Which device was it?')),
    'the expert’s answer in the analyst’s feed',
  );
  expect(json(answer.reply)).toContain(`Re: ${id}`);
  // The SDM request above is still open too, but a reply under the answer is unambiguous: it goes there.
  const reply = await turn({
    personaId: 'contoso-analyst',
    text: 'HR-LAPTOP-7',
    conversation: OWN,
    threadId: answer.messageId,
  });
  expect(json(reply)).not.toContain('Which one is this for?');
  await until(
    async () =>
      (await feed('web:experts-queue'))
        .find((p) => p.messageId === card.messageId)
        ?.thread.find((l) => json(l.reply).includes('HR-LAPTOP-7')),
    'the analyst’s reply in the question’s queue thread',
  );
  // Typed in the chat itself, with two open requests: the analyst is asked which one.
  const typed = await turn({ personaId: 'contoso-analyst', text: 'Also HR-LAPTOP-8' });
  expect(json(typed)).toContain('Which one is this for?');
});

it('shows a visitor from an unlinked workspace only how to link it', async () => {
  for (const text of ['incidents awaiting', 'help', 'ask is this expected?']) {
    const replies = json(await turn({ personaId: 'unlinked', text }));
    expect(replies, text).toContain('not linked');
    expect(replies, text).not.toContain('Contoso');
  }
});
