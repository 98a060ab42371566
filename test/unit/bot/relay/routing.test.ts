import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Principal } from '../../../../bot/domain/actor.js';
import type { ConversationRef } from '../../../../bot/domain/conversation.js';
import type { Reply } from '../../../../bot/ports.js';
import { QUESTION_VERBS } from '../../../../cards/question-verbs.js';
import { webUser } from '../../../support/core-harness.js';
import { analyst, createRelayHarness, expert, QUEUE, type RelayHarness } from './relay-harness.js';

// Where a message goes, as people experience it: text that went to the one open request unasked can be taken
// back for a short while; every relayed copy says which request it belongs to; a command said to the bot in
// a request's thread is answered there and never reaches the other side.

const dm = (p: Principal): ConversationRef => ({
  platform: 'web',
  id: `web:${p.userId}`,
  threadId: null,
  kind: 'personal',
});
const json = (r: Reply | undefined): string => JSON.stringify(r?.card ?? r?.text ?? '');
const all = (rs: readonly Reply[]): string => rs.map(json).join(' ');
type Act = { title: string; verb: string; data: Record<string, unknown> };
const actionsOf = (rs: readonly Reply[]): Act[] =>
  rs.flatMap((r) => ((r.card ?? {}) as { actions?: Act[] }).actions ?? []);

describe('routing in a chat without threads', () => {
  let h: RelayHarness;
  let n = 0;
  beforeEach(async () => {
    h = await createRelayHarness();
  });
  afterEach(async () => {
    await h.cleanup();
  });

  const nextId = (): string => {
    n += 1;
    return `m${n}`;
  };
  const says = (text: string, who: Principal = analyst, messageId = nextId()) =>
    h.send({
      principal: who,
      conversation: dm(analyst),
      input: { kind: 'message', text, attachmentCount: 0, messageId },
    });
  const ask = async (text: string): Promise<string> => {
    const id = /Question (Q-[0-9A-Z]+)/.exec(all(await says(`ask ${text}`)))?.[1];
    expect(id).toBeDefined();
    await h.flush();
    return id as string;
  };
  const queueCopies = (needle: string) =>
    h.chat.deliveries.filter((d) => d.conversationId === QUEUE.id && d.text.includes(needle));

  it('names the request in the acknowledgement and lets only the sender undo it, within two minutes', async () => {
    const id = await ask('Is the sign-in from Lagos expected?');
    const ack = await says('Sorry, wrong window: my lunch order is pizza', analyst, 'oops-1');
    expect(all(ack)).toContain(`Passed on to Defender Experts (${id} · Is the sign-in from Lagos expected?)`);
    const undo = actionsOf(ack).find((a) => a.title === 'Undo');
    expect(undo?.verb).toBe(QUESTION_VERBS.relayUndo);
    await h.flush();
    expect(queueCopies('lunch order').map((d) => d.op)).toEqual(['reply']);

    // A colleague in the same chat cannot withdraw it.
    const colleague = await h.send({
      principal: webUser('contoso-admin', 'customer:contoso'),
      conversation: dm(analyst),
      input: { kind: 'action', verb: QUESTION_VERBS.relayUndo, data: undo?.data ?? {} },
    });
    expect(all(colleague)).toContain('Nothing to undo');

    const undone = await h.click(analyst, QUESTION_VERBS.relayUndo, undo?.data ?? {});
    expect(all(undone)).toContain('Withdrawn');
    await h.flush();
    // The copy in the queue thread is updated in place to say it was removed.
    const updates = h.chat.deliveries.filter((d) => d.conversationId === QUEUE.id && d.op === 'update');
    expect(updates.at(-1)?.text).toContain('Message removed');
    expect(updates.at(-1)?.text).not.toContain('lunch order');
  });

  it('refuses Undo after two minutes: the experts may have read it', async () => {
    await ask('Is the sign-in from Lagos expected?');
    const ack = await says('Also: the user was travelling', analyst, 'late-1');
    const undo = actionsOf(ack).find((a) => a.title === 'Undo');
    await h.flush();
    h.clock.advance(121_000);
    expect(all(await h.click(analyst, QUESTION_VERBS.relayUndo, undo?.data ?? {}))).toContain(
      'Too late to undo',
    );
    await h.flush();
    expect(h.chat.deliveries.filter((d) => d.op === 'update' && d.text.includes('Message removed'))).toEqual(
      [],
    );
  });

  it('labels every relayed copy with its request, both ways', async () => {
    const first = await ask('Is the sign-in from Lagos expected?');
    const second = await ask('Why was PowerShell flagged on HR-LAPTOP-7?');
    const roots = h.chat.postsIn(QUEUE.id);
    const secondRoot = roots.find((p) => p.text.includes(second))?.messageId as string;
    await h.send({
      principal: expert,
      conversation: { ...QUEUE, threadId: secondRoot },
      input: {
        kind: 'message',
        text: 'We checked: it was the IT admin running a script.',
        attachmentCount: 0,
        messageId: 'e1',
        addressed: false,
      },
    });
    await h.flush();
    const back = h.chat.deliveries.find(
      (d) => d.conversationId === dm(analyst).id && d.text.includes('We checked'),
    );
    expect(back?.text).toContain(`(re ${second} · Why was PowerShell flagged`);
    expect(back?.text).not.toContain(first);
    // The customer's pick of the second question reaches the experts labelled the same way.
    const choice = await says('Thanks, that matches our change ticket', analyst, 'c-1');
    const pick = actionsOf(choice).find((a) => a.title === `Send to ${second}`);
    await h.click(analyst, QUESTION_VERBS.relayReply, pick?.data ?? {});
    await h.flush();
    expect(queueCopies('change ticket')[0]?.text).toContain(`(re ${second}`);
  });
});

describe('commands in a request’s thread', () => {
  let h: RelayHarness;
  beforeEach(async () => {
    h = await createRelayHarness();
  });
  afterEach(async () => {
    await h.cleanup();
  });

  it('answers a command said to the bot in the thread, and relays neither it nor its edit', async () => {
    await h.send({
      principal: analyst,
      conversation: dm(analyst),
      input: { kind: 'message', text: 'ask Is Lagos expected?', attachmentCount: 0, messageId: 'a1' },
    });
    await h.flush();
    const root = h.chat.postsIn(QUEUE.id).at(-1)?.messageId as string;
    const inThread = (text: string, messageId: string, addressed: boolean, change?: 'edited') =>
      h.send({
        principal: expert,
        conversation: { ...QUEUE, threadId: root },
        input: {
          kind: 'message',
          text,
          attachmentCount: 0,
          messageId,
          addressed,
          ...(change ? { change, sentAt: new Date(h.clock.now().getTime() + 5000).toISOString() } : {}),
        },
      });
    const answered = await inThread('questions', 'x1', true);
    expect(all(answered)).toContain('Is Lagos expected?');
    await inThread('questions please, and my password is Hunter2', 'x1', true, 'edited');
    // Not said to the bot: talk in the thread is for the customer.
    await inThread('Looking into it now.', 'x2', false);
    await h.flush();
    const toCustomer = h.chat.deliveries.filter((d) => d.conversationId === dm(analyst).id);
    expect(toCustomer.some((d) => d.text.includes('Looking into it now.'))).toBe(true);
    expect(toCustomer.some((d) => d.text.includes('questions') || d.text.includes('Hunter2'))).toBe(false);
  });
});
