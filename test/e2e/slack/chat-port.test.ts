import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { storedParts } from '../../../adapters/slack/transport/continuation.js';
import {
  createSlackApi,
  SLACK_PACING_MARGIN_MS,
  type SlackApi,
} from '../../../adapters/slack/transport/slack-api.js';
import { createSlackChatPort } from '../../../adapters/slack/transport/slack-chat-port.js';
import { singleToken } from '../../../adapters/slack/transport/slack-installations.js';
import { createSqliteStore, type SqliteStore } from '../../../adapters/sqlite/sqlite-store.js';
import { ChatDeliveryError } from '../../../bot/errors.js';
import type { ChatPort, Clock, Logger, Reply } from '../../../bot/ports.js';
import { noticeCard } from '../../../cards/index.js';
import { type SlackStandIn, startSlackStandIn } from '../../support/slack-standin.js';

// The alert pipeline's ChatPort over real HTTP to the Slack Web API stand-in, with a fake clock whose sleep
// moves time: pacing (about one message per second per channel) and Retry-After are read from the waits the
// port asks for, never from wall time.

let standIn: SlackStandIn;
let now: number;
let waits: number[];
let port: ChatPort;
let api: SlackApi;
let store: SqliteStore;
let file: string;

const clock: Clock = { now: () => new Date(now) };
const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };
const TOKEN = 'xoxb-chatport-test';

beforeAll(async () => {
  standIn = await startSlackStandIn();
  file = join(mkdtempSync(join(tmpdir(), 'dxb-chatport-')), 'bot.sqlite');
  store = await createSqliteStore({ file, clock });
});
afterAll(async () => {
  await store?.close();
  await standIn?.close();
});
beforeEach(() => {
  now = Date.parse('2026-11-20T10:00:00Z');
  waits = [];
  api = createSlackApi({
    apiUrl: standIn.apiUrl,
    clock,
    logger: quiet,
    sleep: async (ms) => {
      waits.push(ms);
      now += ms;
    },
  });
  port = createSlackChatPort({ api, tokens: singleToken(TOKEN), logger: quiet, parts: storedParts(store) });
});

const reply = (text: string): Reply => {
  const m = noticeCard({ title: 'Handed off to you', text, tone: 'warning' });
  return { text: m.fallbackText, card: m.card, mode: 'new' };
};
const conv = (channel: string, threadId: string | null = null) => ({
  platform: 'slack' as const,
  id: `slack:T0CONTOSO:${channel}`,
  threadId,
  kind: 'channel' as const,
});
const calls = (method: string, channel: string) =>
  standIn.calls.filter((c) => c.method === method && c.args.channel === channel);

describe('Slack ChatPort', () => {
  it('posts, updates in place, replies in the thread, with the bot token and escaped text', async () => {
    const posted = await port.post(conv('C0ALERTS1'), reply('Contain <!channel> now'));
    const [post] = calls('chat.postMessage', 'C0ALERTS1');
    expect(post?.token).toBe(TOKEN);
    expect(post?.args.text).toContain('&lt;!channel&gt;');
    expect(posted.messageId).toBe((post?.result as { ts: string } | undefined)?.ts);

    await port.update(conv('C0ALERTS1'), posted.messageId, reply('Resolved'));
    expect(calls('chat.update', 'C0ALERTS1')[0]?.args).toMatchObject({ ts: posted.messageId });

    const threaded = await port.reply(conv('C0ALERTS1'), posted.messageId, reply('The experts commented'));
    expect(calls('chat.postMessage', 'C0ALERTS1')[1]?.args.thread_ts).toBe(posted.messageId);
    expect(threaded.messageId).not.toBe(posted.messageId);
  });

  it('paces one channel to about one message a second, and does not hold other channels back', async () => {
    await port.post(conv('C0PACE'), reply('1'));
    await port.post(conv('C0PACE'), reply('2'));
    await port.post(conv('C0PACE'), reply('3'));
    const second = 1000 + SLACK_PACING_MARGIN_MS;
    expect(waits).toEqual([second, second]);
    await port.post(conv('C0OTHER'), reply('x'));
    expect(waits).toEqual([second, second]);
    // Editing an existing card is not posting: it does not queue behind the channel's posts.
    const first = calls('chat.postMessage', 'C0PACE')[0]?.result as { ts: string };
    await port.update(conv('C0PACE'), first.ts, reply('edited'));
    expect(waits).toEqual([second, second]);
  });

  it('tells the alert pipeline how long a channel must wait, from the same pacer its posts use', async () => {
    expect(port.delayFor(conv('C0ASK'))).toBe(0);
    await port.post(conv('C0ASK'), reply('1'));
    expect(port.delayFor(conv('C0ASK'))).toBe(1000 + SLACK_PACING_MARGIN_MS);
    expect(port.delayFor(conv('C0ASK'), 'update')).toBe(0);
    expect(port.delayFor(conv('C0ASKOTHER'))).toBe(0);
    standIn.inject429('chat.postMessage', 30);
    now += 5_000;
    await port.post(conv('C0ASK'), reply('2')).catch(() => undefined);
    expect(port.delayFor(conv('C0ASK'))).toBe(30_000);
    expect(waits).toEqual([]);
  });

  it('answers through response_url without queuing behind the channel’s posts', async () => {
    await port.post(conv('C0HOOKS'), reply('1'));
    for (const id of ['h1', 'h2', 'h3'])
      await api.respond(standIn.responseUrl(id), { text: 'only you see this' }, { retryThrottled: true });
    expect(waits).toEqual([]);
    expect(standIn.calls.filter((c) => c.method.startsWith('hook:h'))).toHaveLength(3);
  });

  it('uses one response_url at most five times within 30 minutes, as Slack allows, then refuses it', async () => {
    const url = standIn.responseUrl('five-uses');
    for (let i = 0; i < 5; i += 1) await api.respond(url, { text: `answer ${i}` });
    const sixth = await api.respond(url, { text: 'one too many' }).catch((e: unknown) => e);
    expect(sixth).toBeInstanceOf(ChatDeliveryError);
    expect((sixth as ChatDeliveryError).failure).toBe('invalid');
    expect(standIn.calls.filter((c) => c.method === 'hook:five-uses')).toHaveLength(5);
    now += 30 * 60_000;
    await api.respond(url, { text: 'a new window' });
    expect(standIn.calls.filter((c) => c.method === 'hook:five-uses')).toHaveLength(6);
    expect(waits).toEqual([]);
  });

  it('never repeats a post after a 502, a 504 or an internal_error, since it may have been shown', async () => {
    for (const [channel, error, status] of [
      ['C0P502', 'bad_gateway', 502],
      ['C0P504', 'gateway_timeout', 504],
      ['C0PINT', 'internal_error', undefined],
    ] as const) {
      standIn.failNext('chat.postMessage', error, status);
      const failure = await port.post(conv(channel), reply('once')).catch((e: unknown) => e);
      expect(failure).toMatchObject({ failure: 'transient', maybeSent: true });
      expect(calls('chat.postMessage', channel)).toHaveLength(1);
    }
  });

  it('repeats an update after a 502 (an edit is idempotent) and a post after a 503 with Retry-After', async () => {
    const c = conv('C0RETRY');
    const posted = await port.post(c, reply('first'));
    standIn.failNext('chat.update', 'bad_gateway', 502);
    await port.update(c, posted.messageId, reply('edited'));
    expect(calls('chat.update', 'C0RETRY').map((x) => (x.result as { ok: boolean }).ok)).toEqual([
      false,
      true,
    ]);
    now += 2_000;
    waits.length = 0;
    standIn.failNext('chat.postMessage', 'service_unavailable', 503, 2);
    await port.post(c, reply('second'));
    expect(calls('chat.postMessage', 'C0RETRY').map((x) => (x.result as { ok: boolean }).ok)).toEqual([
      true,
      false,
      true,
    ]);
    // Not before the Retry-After.
    expect(waits.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(2_000);
  });

  it('repeats a read after a 504 and waits out a short 429 where the caller asked to', async () => {
    standIn.failNext('auth.test', 'gateway_timeout', 504);
    standIn.inject429('auth.test', 1);
    const answer = await api.call(TOKEN, 'auth.test', {}, { retryThrottled: true });
    expect(answer.ok).toBe(true);
    expect(standIn.of('auth.test')).toHaveLength(3);
    expect(waits.some((w) => w >= 1_000)).toBe(true);
  });

  it('reports a 429 as throttled with Retry-After, and holds that channel until then', async () => {
    standIn.inject429('chat.postMessage', 7);
    const failure = await port.post(conv('C0LIMITED'), reply('1')).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ChatDeliveryError);
    expect(failure).toMatchObject({ failure: 'throttled', retryAfterMs: 7000 });
    now += 2000;
    await port.post(conv('C0LIMITED'), reply('2'));
    expect(waits).toEqual([5000]);
    expect(calls('chat.postMessage', 'C0LIMITED').map((c) => (c.result as { ok: boolean }).ok)).toEqual([
      false,
      true,
    ]);
  });

  it('maps Slack failures once: gone, forbidden, invalid, transient', async () => {
    const failureOf = async (error: string, status?: number): Promise<unknown> => {
      standIn.failNext('chat.postMessage', error, status);
      return port
        .post(
          conv(
            `C0F${error
              .replace(/[^a-z]/g, '')
              .toUpperCase()
              .slice(0, 8)}`,
          ),
          reply('x'),
        )
        .catch((e: unknown) => e);
    };
    expect(await failureOf('channel_not_found')).toMatchObject({ failure: 'gone' });
    expect(await failureOf('is_archived')).toMatchObject({ failure: 'gone' });
    expect(await failureOf('not_in_channel')).toMatchObject({ failure: 'forbidden' });
    expect(await failureOf('token_revoked')).toMatchObject({ failure: 'forbidden' });
    expect(await failureOf('invalid_blocks')).toMatchObject({ failure: 'invalid' });
    expect(await failureOf('internal_error', 503)).toMatchObject({ failure: 'transient' });
  });

  it('maps a deleted message (update or thread reply) to messageGone, not to a gone channel', async () => {
    const c = conv('C0MSGGONE');
    const posted = await port.post(c, reply('first'));
    standIn.failNext('chat.update', 'message_not_found');
    expect(await port.update(c, posted.messageId, reply('x')).catch((e: unknown) => e)).toMatchObject({
      failure: 'messageGone',
    });
    standIn.failNext('chat.postMessage', 'thread_not_found');
    expect(await port.reply(c, posted.messageId, reply('x')).catch((e: unknown) => e)).toMatchObject({
      failure: 'messageGone',
    });
  });

  it('opens a DM with a user of a workspace', async () => {
    const dm = await port.directConversation?.('T0CONTOSO', 'U0DANA');
    expect(dm).toEqual({ platform: 'slack', id: 'slack:T0CONTOSO:D0DANA', threadId: null, kind: 'personal' });
    expect(standIn.of('conversations.open').at(-1)?.args.users).toBe('U0DANA');
    // Opening a DM is safe to repeat: a 5xx is retried after a jittered backoff, a post never is.
    standIn.failNext('conversations.open', 'internal_error', 500);
    expect(await port.directConversation?.('T0CONTOSO', 'U0SAM')).toMatchObject({
      id: 'slack:T0CONTOSO:D0SAM',
    });
    expect(waits).toHaveLength(1);
    standIn.failNext('chat.postMessage', 'internal_error', 500);
    await expect(port.post(conv('C0NOREPEAT'), reply('x'))).rejects.toMatchObject({ failure: 'transient' });
    expect(calls('chat.postMessage', 'C0NOREPEAT')).toHaveLength(1);
  });

  it('posts a card too long for one message with the rest in its thread', async () => {
    const long = {
      text: 'long',
      mode: 'new' as const,
      card: {
        type: 'AdaptiveCard' as const,
        version: '1.5' as const,
        body: Array.from({ length: 80 }, (_, i) => ({
          type: 'TextBlock',
          text: `Comment ${i}: ${'details '.repeat(40)}`,
        })),
      },
    };
    const posted = await port.post(conv('C0LONG'), long);
    const [first, ...rest] = calls('chat.postMessage', 'C0LONG');
    expect(JSON.stringify(first?.args.blocks)).toContain('the rest follows in the thread');
    expect(rest.length).toBeGreaterThan(0);
    for (const c of rest) expect(c.args.thread_ts).toBe(posted.messageId);
    expect(JSON.stringify(rest.map((c) => c.args.blocks))).toContain('Comment 79');
  });

  it('redraws a long card’s continuation in place: updated, extended or trimmed, never posted again', async () => {
    const long = (comments: number, tag: string): Reply => ({
      text: 'long',
      mode: 'new',
      card: {
        type: 'AdaptiveCard',
        version: '1.5',
        body: Array.from({ length: comments }, (_, i) => ({
          type: 'TextBlock',
          text: `${tag} comment ${i}: ${'details '.repeat(40)}`,
        })),
      },
    });
    const c = conv('C0REDRAW');
    const posted = await port.post(c, long(80, 'first'));
    const tails = () =>
      calls('chat.postMessage', 'C0REDRAW').filter((x) => x.args.thread_ts === posted.messageId);
    const firstTail = tails().map((x) => String((x.result as { ts: string }).ts));
    expect(firstTail.length).toBeGreaterThan(0);

    // Two redraws of the same length: the same continuation messages are updated, none posted.
    await port.update(c, posted.messageId, long(80, 'second'));
    await port.update(c, posted.messageId, long(80, 'third'));
    expect(tails()).toHaveLength(firstTail.length);
    const updatedTail = calls('chat.update', 'C0REDRAW').filter((x) => firstTail.includes(String(x.args.ts)));
    expect(updatedTail).toHaveLength(firstTail.length * 2);
    expect(JSON.stringify(updatedTail.at(-1)?.args.blocks)).toContain('third comment');

    // The ids are durable: a fresh port over a reopened store (a restart) still updates them in place.
    await store.close();
    store = await createSqliteStore({ file, clock });
    const restartedApi = createSlackApi({
      apiUrl: standIn.apiUrl,
      clock,
      logger: quiet,
      sleep: async (ms) => {
        now += ms;
      },
    });
    const restarted = createSlackChatPort({
      api: restartedApi,
      tokens: singleToken(TOKEN),
      logger: quiet,
      parts: storedParts(store),
    });
    await restarted.update(c, posted.messageId, long(160, 'longer'));
    const grown = tails();
    expect(grown.length).toBeGreaterThan(firstTail.length);
    expect(grown.slice(0, firstTail.length).map((x) => String((x.result as { ts: string }).ts))).toEqual(
      firstTail,
    );

    // Shorter again: the surplus parts are deleted, not left behind with stale content.
    await restarted.update(c, posted.messageId, long(10, 'short'));
    const grownTs = grown.map((x) => String((x.result as { ts: string }).ts));
    expect(
      calls('chat.delete', 'C0REDRAW')
        .map((x) => String(x.args.ts))
        .sort(),
    ).toEqual([...grownTs].sort());
    expect(tails()).toHaveLength(grown.length);
  });

  it('refuses conversation ids it did not build', async () => {
    await expect(
      port.post(
        { platform: 'slack', id: 'slack:T0X:https://evil.example', threadId: null, kind: 'channel' },
        reply('x'),
      ),
    ).rejects.toThrow();
  });
});
