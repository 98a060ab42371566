import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Principal } from '../../../../bot/domain/actor.js';
import type { ConversationRef } from '../../../../bot/domain/conversation.js';
import type { Reply } from '../../../../bot/ports.js';
import { VERBS } from '../../../../cards/verbs.js';
import { webUser } from '../../../support/core-harness.js';
import {
  analyst,
  createRelayHarness,
  expert,
  QUEUE,
  type RelayHarness,
  woodgrove,
} from '../relay/relay-harness.js';

// `messages` through the real core with the relay and questions stores on a real SQLite file: a customer sees
// its own managed-response threads and requests (never another customer's), the experts see every
// customer's, unread-by-you follows what each person has seen, and the filters and parser behave.

const dm = (p: Principal): ConversationRef => ({
  platform: 'web',
  id: `web:${p.userId}`,
  threadId: null,
  kind: 'personal',
});
const text = (replies: readonly Reply[]): string => replies.map((r) => r.text).join('\n');
const sdmOnly = webUser('sam@provider.example', 'experts'); // SDM of fabrikam, not an expert

let h: RelayHarness;
beforeEach(async () => {
  h = await createRelayHarness();
});
afterEach(async () => {
  await h.cleanup();
});

async function handoff(customerId: string, incidentId: string): Promise<string> {
  const pair = await h.relay.openPair({
    kind: 'handoff',
    customerId,
    subjectId: `b-${customerId}:${incidentId}`,
    customer: {
      conversation: { platform: 'web', id: `web:alerts:${customerId}`, threadId: null, kind: 'channel' },
      threadId: `t-${incidentId}`,
    },
    provider: { conversation: QUEUE, threadId: `q-${incidentId}` },
    providerLabel: 'Defender Experts',
    title: `incident #${incidentId}`,
  });
  return pair.id;
}

async function ask(): Promise<{ id: string; root: string }> {
  const replies = await h.send({
    principal: analyst,
    conversation: dm(analyst),
    input: {
      kind: 'message',
      text: 'ask Is the sign-in from Lagos expected?',
      attachmentCount: 0,
      messageId: 'ask-1',
    },
  });
  const id = /Question (Q-[0-9A-Z]+)/.exec(JSON.stringify(replies[0]?.card))?.[1] ?? '';
  await h.worker.runOnce();
  return { id, root: h.chat.postsIn(QUEUE.id).at(-1)?.messageId ?? '' };
}

describe('messages', () => {
  it('lists the customer’s own threads, grouped as the portal groups them, and never another customer’s', async () => {
    const [contosoIncident] = (
      await h.store.listIncidents({ customerId: 'contoso', view: 'all', severity: null, limit: 1, offset: 0 })
    ).items;
    const [woodgroveIncident] = (
      await h.store.listIncidents({
        customerId: 'woodgrove',
        view: 'all',
        severity: null,
        limit: 1,
        offset: 0,
      })
    ).items;
    await handoff('contoso', contosoIncident?.id ?? '');
    await handoff('woodgrove', woodgroveIncident?.id ?? '');
    const { id } = await ask();
    const mine = text(await h.say(analyst, 'messages'));
    expect(mine).toMatch(/^Messages — Active in the last 30 days · 2 threads · 0 unread/);
    expect(mine).toMatch(/Managed response \(1\):\n- Incident /);
    expect(mine).toContain(`Incident ${contosoIncident?.id} · ${contosoIncident?.displayName}`);
    expect(mine).toMatch(
      new RegExp(
        `Ask Defender Experts \\(1\\):\\n- ${id} · Is the sign-in from Lagos expected\\? — Waiting for an expert`,
      ),
    );
    expect(mine).not.toContain(`Incident ${woodgroveIncident?.id} ·`);
    // Woodgrove's analyst sees Woodgrove's thread only, whatever the filter or button they use.
    const theirs = text(await h.click(woodgrove, VERBS.messagesShow, { filter: '7d' }));
    expect(theirs).toContain(`Incident ${woodgroveIncident?.id}`);
    expect(theirs).not.toContain(id);
    expect(theirs).not.toContain(`Incident ${contosoIncident?.id} ·`);
    // The experts see every customer's, each named.
    const all = text(await h.say(expert, 'messages open'));
    expect(all).toMatch(/^Messages across your customers — Open · /);
    expect(all).toContain('Contoso Ltd');
    expect(all).toContain('Woodgrove Bank');
    expect(all).toContain(id);
    // An SDM who is not an expert sees only the customers they manage (Sam has Fabrikam, which has none).
    const sam = text(await h.say(sdmOnly, 'messages'));
    expect(sam).toMatch(/0 threads/);
    expect(sam).not.toContain('Contoso');
  });

  it('marks a thread unread when the other side writes, read when you write or mark all as read', async () => {
    const { id, root } = await ask();
    expect(text(await h.say(analyst, 'messages'))).toMatch(/0 unread/);
    h.clock.advance(60_000);
    await h.send({
      principal: expert,
      conversation: { ...QUEUE, threadId: root },
      input: { kind: 'message', text: 'Yes: travel.', attachmentCount: 0, messageId: 'e1' },
    });
    const after = text(await h.say(analyst, 'messages'));
    expect(after).toMatch(/1 unread/);
    expect(after).toMatch(new RegExp(`${id} · .* — Answered · last activity .* · Unread`));
    // The expert wrote it, so it is not unread for them.
    expect(text(await h.say(expert, 'messages'))).toMatch(/0 unread/);
    const read = await h.click(analyst, VERBS.messagesRead, { filter: '30d' });
    expect(read[0]?.mode).toBe('replace');
    expect(text(read)).toMatch(/0 unread/);
    // A reply by the asker keeps it read for them.
    h.clock.advance(60_000);
    await h.send({
      principal: analyst,
      conversation: dm(analyst),
      input: { kind: 'message', text: 'Thanks', attachmentCount: 0, messageId: 'c2' },
    });
    expect(text(await h.say(analyst, 'messages'))).toMatch(/0 unread/);
  });

  it('filters by activity and by open state', async () => {
    const { id } = await ask();
    h.clock.advance(8 * 86_400_000);
    expect(text(await h.say(analyst, 'messages 7d'))).not.toContain(id);
    expect(text(await h.say(analyst, 'messages 30d'))).toContain(id);
    expect(text(await h.say(analyst, 'messages open'))).toContain(id);
    expect(text(await h.say(analyst, 'messages yesterday'))).toMatch(/Try: messages \[7d\|30d\|open\]/);
    expect(text(await h.say(analyst, 'show my messages'))).toContain(id);
  });
});
