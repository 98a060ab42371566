import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeConversationId } from '../../../adapters/teams/conversion/conversation-id.js';
import { TEAMS_CONVERSATION_WINDOWS } from '../../../adapters/teams/delivery/teams-delivery.js';
import type { ConversationRef } from '../../../bot/domain/conversation.js';
import type { Reply } from '../../../bot/ports.js';
import { cardReply } from '../../../bot/replies.js';
import { noticeCard } from '../../../cards/index.js';
import { FIXTURE_TENANT } from '../../support/bot-connector-activities.js';
import {
  type ProactiveRunner,
  RunnerCallError,
  startProactiveRunner,
} from '../../support/bot-connector-proactive.js';
import {
  type BotConnectorStandIn,
  type ConnectorCall,
  startBotConnectorStandIn,
} from '../../support/bot-connector-standin.js';

// Proactive messages through the Teams ChatPort, built by the composition root from the environment in a
// child process (so NODE_EXTRA_CA_CERTS applies to its HTTPS calls), against the Bot Connector stand-in:
// channel post / update / thread reply, chats, the allowlist, Teams' rate windows and Retry-After.

let s: BotConnectorStandIn;
let runner: ProactiveRunner;
let offList: Server;
let offListPort = 0;
let offListConnections = 0;

beforeAll(async () => {
  s = await startBotConnectorStandIn();
  offList = createServer((socket) => {
    offListConnections += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => offList.listen(0, '127.0.0.1', resolve));
  offListPort = (offList.address() as { port: number }).port;
  runner = await startProactiveRunner(s.env('127.0.0.1'));
});

afterAll(async () => {
  await runner?.close();
  await s?.close();
  await new Promise<void>((resolve) => (offList ? offList.close(() => resolve()) : resolve()));
});

const channel = (name: string, serviceUrl = s.serviceUrl): ConversationRef => ({
  platform: 'teams',
  id: encodeConversationId({
    tenantId: FIXTURE_TENANT,
    conversationId: `19:${name}@thread.tacv2`,
    serviceUrl,
  }),
  threadId: null,
  kind: 'channel',
});

const personal: () => ConversationRef = () => ({
  platform: 'teams',
  id: encodeConversationId({
    tenantId: FIXTURE_TENANT,
    conversationId: 'a:1ScrubbedPersonalConversationWithAlex',
    serviceUrl: s.serviceUrl,
  }),
  threadId: null,
  kind: 'personal',
});

const alert = (title: string): Reply =>
  cardReply(noticeCard({ title, text: `${title}: details for the SOC.`, tone: 'warning' }));

const callsFor = (base: string): ConnectorCall[] => s.calls.filter((c) => c.conversationBase === base);

/** The most requests that arrived within any span of `perMs`. */
function busiest(times: readonly number[], perMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i += 1) {
    while ((sorted[i] ?? 0) - (sorted[j] ?? 0) >= perMs) j += 1;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

describe('Teams ChatPort against the Bot Connector stand-in', () => {
  it('posts a new thread in a channel, updates it in place and replies in its thread', async () => {
    const conversation = channel('AlertsChannel');
    const base = '19:AlertsChannel@thread.tacv2';
    const posted = await runner.post(conversation, alert('Incident 42 handed over to you'));
    const [create] = callsFor(base);
    expect(create?.kind).toBe('create');
    expect(create?.body).toMatchObject({
      isGroup: true,
      channelData: { channel: { id: base } },
      tenantId: FIXTURE_TENANT,
    });
    const activity = create?.body.activity as {
      attachments: Array<{ contentType: string }>;
      summary: string;
    };
    expect(activity.attachments[0]?.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(activity.summary).toMatch(/Incident 42/);
    expect(posted.messageId).toMatch(/^\d+$/);

    await runner.update(conversation, posted.messageId, alert('Incident 42 — isolation completed'));
    const threaded = await runner.reply(conversation, posted.messageId, {
      text: 'Dana isolated WS-042.',
      card: null,
      mode: 'new',
    });

    const [, update, reply] = callsFor(base);
    expect(update).toMatchObject({ kind: 'update', method: 'PUT', activityId: posted.messageId });
    expect(update?.conversationId).toBe(`${base};messageid=${posted.messageId}`);
    expect(JSON.stringify(update?.body)).toMatch(/isolation completed/);
    expect(reply).toMatchObject({ kind: 'send', conversationId: `${base};messageid=${posted.messageId}` });
    expect(reply?.body).toMatchObject({ text: 'Dana isolated WS-042.', textFormat: 'plain' });
    expect(threaded.messageId).not.toBe(posted.messageId);
    for (const c of callsFor(base))
      expect(s.issuedTokens.has(c.authorization?.replace('Bearer ', '') ?? '')).toBe(true);
  });

  it('posts and replies in a personal chat', async () => {
    const base = 'a:1ScrubbedPersonalConversationWithAlex';
    const before = callsFor(base).length;
    const posted = await runner.post(personal(), alert('SDM check-in tomorrow'));
    await runner.reply(personal(), posted.messageId, { text: 'Reminder sent.', card: null, mode: 'new' });
    const [send, reply] = callsFor(base).slice(before);
    expect(send).toMatchObject({ kind: 'send', conversationId: base });
    expect(reply).toMatchObject({ kind: 'reply', conversationId: base, activityId: posted.messageId });
  });

  it('refuses a stored conversation whose service URL is off the allowlist and contacts nothing', async () => {
    const before = s.calls.length;
    const evil = channel('Elsewhere', `https://localhost:${offListPort}/amer/`);
    const error = await runner.post(evil, alert('never sent')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunnerCallError);
    expect((error as RunnerCallError).code).toBe('forbidden');
    expect((error as RunnerCallError).message).toMatch(/TEAMS_SERVICE_URL_ALLOWLIST/);
    expect(offListConnections).toBe(0);
    expect(s.calls.length).toBe(before);
  });

  it('paces a burst to one channel within every Teams window', async () => {
    const base = '19:BurstChannel@thread.tacv2';
    const results = await runner.burst(channel('BurstChannel'), alert('Burst'), 10);
    expect(results.every((r) => r.ok)).toBe(true);
    const times = callsFor(base).map((c) => c.at);
    expect(times).toHaveLength(10);
    for (const w of TEAMS_CONVERSATION_WINDOWS) {
      expect(busiest(times, w.perMs), `${w.limit} per ${w.perMs} ms`).toBeLessThanOrEqual(w.limit);
    }
  });

  it('waits out a 429 for its Retry-After, then delivers once', async () => {
    const base = '19:ThrottledChannel@thread.tacv2';
    s.failNext(1, 429, '1');
    const posted = await runner.post(channel('ThrottledChannel'), alert('Throttled'));
    const [throttled, retried, ...more] = callsFor(base);
    expect(throttled?.status).toBe(429);
    expect(retried?.status).toBe(201);
    expect(more).toEqual([]);
    expect((retried?.at ?? 0) - (throttled?.at ?? 0)).toBeGreaterThanOrEqual(1000);
    expect(posted.messageId).toMatch(/^\d+$/);
  });

  it('never repeats a post after a 502 or a 504: it may already be in the channel', async () => {
    for (const [name, status] of [
      ['FlakyChannel', 502],
      ['TimeoutChannel', 504],
    ] as const) {
      s.failNext(1, status, '0');
      const error = (await runner
        .post(channel(name), alert('Flaky'))
        .catch((e: unknown) => e)) as RunnerCallError;
      expect(error.code).toBe('platform_error');
      expect(error.failure).toBe('transient');
      expect(error.message).toMatch(new RegExp(`HTTP ${status}; it may have been delivered`));
      expect(callsFor(`19:${name}@thread.tacv2`).map((c) => c.status)).toEqual([status]);
    }
  });

  it('repeats an update after 502/504 and gives up with a clear error after a bounded number', async () => {
    const conversation = channel('FlakyUpdates');
    const base = '19:FlakyUpdates@thread.tacv2';
    const posted = await runner.post(conversation, alert('Incident 5'));
    s.failNext(2, 504, '0');
    await runner.update(conversation, posted.messageId, alert('Incident 5 updated'));
    expect(callsFor(base).map((c) => c.status)).toEqual([201, 504, 504, 200]);
    s.failNext(4, 502, '0');
    const error = (await runner
      .update(conversation, posted.messageId, alert('Incident 5 again'))
      .catch((e: unknown) => e)) as RunnerCallError;
    expect(error.code).toBe('platform_error');
    expect(error.message).toMatch(/HTTP 502 after 4 attempts/);
    expect(callsFor(base).map((c) => c.status)).toEqual([201, 504, 504, 200, 502, 502, 502, 502]);
  });

  it('repeats a post the service turned away with 503 and Retry-After, once it has waited', async () => {
    const base = '19:BusyChannel@thread.tacv2';
    s.failNext(1, 503, '1');
    const posted = await runner.post(channel('BusyChannel'), alert('Busy'));
    const [busy, retried, ...more] = callsFor(base);
    expect(busy?.status).toBe(503);
    expect(retried?.status).toBe(201);
    expect(more).toEqual([]);
    expect((retried?.at ?? 0) - (busy?.at ?? 0)).toBeGreaterThanOrEqual(1000);
    expect(posted.messageId).toMatch(/^\d+$/);
  });

  it('does not hold a message for an unreasonable Retry-After, nor retry a refusal', async () => {
    s.failNext(1, 429, '3600');
    const held = (await runner
      .post(channel('SlowChannel'), alert('Slow'))
      .catch((e: unknown) => e)) as RunnerCallError;
    expect(held.message).toMatch(/wait 3600 s/);
    expect(held.failure).toBe('throttled');
    expect(callsFor('19:SlowChannel@thread.tacv2')).toHaveLength(1);
    // The port holds that conversation for the Retry-After and says so to whoever asks (the dispatcher).
    expect(await runner.delayFor(channel('SlowChannel'))).toBeGreaterThan(3_500_000);
    expect(await runner.delayFor(channel('QuietChannel'))).toBe(0);

    s.failNext(1, 403);
    const refused = (await runner
      .post(channel('ClosedChannel'), alert('Closed'))
      .catch((e: unknown) => e)) as RunnerCallError;
    expect(refused.message).toMatch(/HTTP 403/);
    expect(callsFor('19:ClosedChannel@thread.tacv2')).toHaveLength(1);
  });

  it('reports a 404 on an update or a thread reply as "that message no longer exists", not as a gone channel', async () => {
    const conversation = channel('DeletedPostChannel');
    const posted = await runner.post(conversation, alert('Incident 77'));
    s.failNext(1, 404);
    const update = (await runner
      .update(conversation, posted.messageId, alert('Incident 77 updated'))
      .catch((e: unknown) => e)) as RunnerCallError;
    expect(update.failure).toBe('messageGone');
    s.failNext(1, 404);
    const reply = (await runner
      .reply(conversation, posted.messageId, { text: 'line', card: null, mode: 'new' })
      .catch((e: unknown) => e)) as RunnerCallError;
    expect(reply.failure).toBe('messageGone');
    s.failNext(1, 404);
    const dm = (await runner
      .reply(personal(), posted.messageId, { text: 'line', card: null, mode: 'new' })
      .catch((e: unknown) => e)) as RunnerCallError;
    expect(dm.failure).toBe('messageGone');
    // A refused post is not about a message: it keeps its own meaning.
    s.failNext(1, 403);
    const post = (await runner.post(conversation, alert('x')).catch((e: unknown) => e)) as RunnerCallError;
    expect(post.failure).toBe('forbidden');
  });
});
