import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConversationRef } from '../../../../bot/domain/conversation.js';
import { TOP_LEVEL_HINT } from '../../../../bot/relay/relay-inbound.js';
import { analyst, createRelayHarness, expert, QUEUE, type RelayHarness, woodgrove } from './relay-harness.js';

// Handoff threads: replies under an incident's alert post reach the experts' queue (one queue thread per
// handoff), experts' replies come back under the post, and a top-level post in the alert channel gets the
// hint that the experts cannot see it, at most once an hour, while commands there still work.

const CHANNEL: ConversationRef = {
  platform: 'web',
  id: 'web:alerts:contoso',
  threadId: null,
  kind: 'channel',
};
const inThread = (root: string): ConversationRef => ({ ...CHANNEL, threadId: root });

describe('handoff threads', () => {
  let h: RelayHarness;
  let incidentId: string;
  beforeEach(async () => {
    h = await createRelayHarness();
    incidentId = await h.firstIncidentId();
    await h.store.saveBinding({
      id: 'b-contoso',
      customerId: 'contoso',
      conversation: CHANNEL,
      events: ['handedOff'],
      onCall: null,
      createdBy: 'web:contoso-admin',
      createdAt: h.clock.now().toISOString(),
      paused: false,
    });
    await h.store.saveIncidentPost({
      bindingId: 'b-contoso',
      customerId: 'contoso',
      incidentId,
      messageId: 'alert-post-1',
      postedAt: h.clock.now().toISOString(),
    });
  });
  afterEach(async () => {
    await h.cleanup();
  });

  const customerSays = (threadId: string | null, text: string, messageId: string, addressed = false) =>
    h.send({
      principal: analyst,
      conversation: threadId === null ? CHANNEL : inThread(threadId),
      input: { kind: 'message', text, attachmentCount: 0, messageId, addressed },
    });

  it('opens one queue thread per handoff and relays both ways', async () => {
    expect(await customerSays('alert-post-1', 'We isolated the device, what next?', 'c1')).toEqual([]);
    await customerSays('alert-post-1', 'Also reset the password', 'c2');
    await h.flush();
    const roots = h.chat.postsIn(QUEUE.id);
    expect(roots).toHaveLength(1);
    expect(roots[0]?.text).toContain(`incident #${incidentId}`);
    const queued = h.chat.deliveries.filter((d) => d.conversationId === QUEUE.id && d.op === 'reply');
    expect(queued.map((d) => d.messageId)).toEqual([roots[0]?.messageId, roots[0]?.messageId]);
    expect(queued[0]?.text).toContain('isolated the device');

    await h.send({
      principal: expert,
      conversation: { ...QUEUE, threadId: roots[0]?.messageId as string },
      input: {
        kind: 'message',
        text: 'Collect the investigation package next.',
        attachmentCount: 0,
        messageId: 'e1',
        addressed: false,
      },
    });
    await h.flush();
    const back = h.chat.deliveries.filter((d) => d.conversationId === CHANNEL.id && d.op === 'reply');
    expect(back).toHaveLength(1);
    expect(back[0]?.messageId).toBe('alert-post-1');
    expect(back[0]?.text).toContain('Defender Experts');
  });

  it('ignores threads that are not alert posts and people of other customers', async () => {
    expect(await customerSays('some-human-thread', 'chatting', 'c1')).toEqual([]);
    const other = await h.send({
      principal: woodgrove,
      conversation: inThread('alert-post-1'),
      input: { kind: 'message', text: 'hello', attachmentCount: 0, messageId: 'w1', addressed: false },
    });
    expect(other).toEqual([]);
    await h.flush();
    expect(h.chat.deliveries).toEqual([]);
  });

  it('hints once an hour about top-level posts, and commands there still work', async () => {
    const first = await customerSays(null, 'anyone seen this alert?', 't1');
    expect(first.map((r) => r.text)).toEqual([TOP_LEVEL_HINT]);
    expect(await customerSays(null, 'hello?', 't2')).toEqual([]);
    h.clock.advance(3_600_000);
    expect((await customerSays(null, 'still there?', 't3')).map((r) => r.text)).toEqual([TOP_LEVEL_HINT]);
    const help = await customerSays(null, 'help', 't4', true);
    expect(JSON.stringify(help)).toContain('What I can do');
    await h.flush();
    expect(h.chat.deliveries).toEqual([]);
  });
});

describe('asking from an alert post’s thread', () => {
  let h: RelayHarness;
  beforeEach(async () => {
    h = await createRelayHarness();
    await h.store.saveBinding({
      id: 'b-contoso',
      customerId: 'contoso',
      conversation: CHANNEL,
      events: ['handedOff'],
      onCall: null,
      createdBy: 'web:contoso-admin',
      createdAt: h.clock.now().toISOString(),
      paused: false,
    });
  });
  afterEach(async () => {
    await h.cleanup();
  });

  it('starts the question in a new thread instead of sharing the handoff thread', async () => {
    const replies = await h.send({
      principal: analyst,
      conversation: inThread('alert-post-1'),
      input: { kind: 'action', verb: 'question.ask', data: { incidentId: null, qText: 'What next?' } },
    });
    expect(replies[0]?.text).toMatch(/Question Q-[0-9A-Z]+ was sent/);
    await h.flush();
    const root = h.chat.postsIn(CHANNEL.id);
    expect(root).toHaveLength(1);
    expect(root[0]?.text).toContain('to Defender Experts');
    const pair = await h.relayStore.findByThread(CHANNEL.id, root[0]?.messageId ?? '');
    expect(pair?.pair.kind).toBe('question');
    expect(await h.relayStore.findByThread(CHANNEL.id, 'alert-post-1')).toBeNull();
  });
});
