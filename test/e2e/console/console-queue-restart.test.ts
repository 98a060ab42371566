import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { type RunningBot, startBot } from '../../../adapters/wiring/composition.js';
import { loadConfig } from '../../../bot/config/env.js';
import type { Logger, Reply } from '../../../bot/ports.js';

// The real composition stopped and started again on one DATA_DIR: the console's experts' queue shows the
// requests that are still open (its feed lives in memory), and the expert can answer in the re-shown
// card's thread; the answer reaches the asker.

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };
const dir = mkdtempSync(join(tmpdir(), 'dxb-queue-restart-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface FeedPost {
  readonly messageId: string;
  readonly reply: Reply;
  readonly thread: readonly { readonly reply: Reply }[];
}

const boot = (): Promise<RunningBot> =>
  startBot(
    loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dir,
      DEV_CONSOLE: 'on',
      LOG_LEVEL: 'silent',
      RELAY_SETTLE_MS: '0',
    }),
    { logger: quiet },
  );

async function turn(bot: RunningBot, body: Record<string, unknown>): Promise<readonly Reply[]> {
  const res = await fetch(`${bot.url}/console/api/turn`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ deliveryId: randomUUID(), ...body }),
  });
  return ((await res.json()) as { replies?: Reply[] }).replies ?? [];
}
async function feed(bot: RunningBot, conversation: string): Promise<readonly FeedPost[]> {
  const q = `conversation=${encodeURIComponent(conversation)}&since=0`;
  return ((await (await fetch(`${bot.url}/console/api/alerts?${q}`)).json()) as { posts: FeedPost[] }).posts;
}
async function until<T>(check: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 150; i += 1) {
    const v = await check();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}
const json = (x: unknown): string => JSON.stringify(x);

it('shows the open requests in the console’s experts’ queue after a restart, and replies still work', async () => {
  let bot = await boot();
  const asked = await turn(bot, { personaId: 'contoso-analyst', text: 'ask Is the Lagos sign-in expected?' });
  const id = /Question (Q-[0-9A-Z]+)/.exec(json(asked))?.[1] as string;
  await until(
    async () => (await feed(bot, 'web:experts-queue')).find((p) => json(p.reply).includes(id)),
    'the queue card',
  );
  await bot.close();

  bot = await boot();
  try {
    const card = await until(
      async () => (await feed(bot, 'web:experts-queue')).find((p) => json(p.reply).includes(id)),
      'the queue card after the restart',
    );
    expect(json(card.reply)).toContain('question.claim');
    await turn(bot, {
      personaId: 'expert',
      text: 'Yes, that is the travel VPN.',
      conversation: 'web:experts-queue',
      threadId: card.messageId,
    });
    await until(
      async () => (await feed(bot, 'web:contoso-analyst')).find((p) => json(p.reply).includes('travel VPN')),
      'the answer in the analyst’s chat',
    );
  } finally {
    await bot.close();
  }
}, 60_000);
