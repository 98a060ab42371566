import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Principal } from '../../../../bot/domain/actor.js';
import type { ConversationRef } from '../../../../bot/domain/conversation.js';
import type { Reply } from '../../../../bot/ports.js';
import { commandWordOf } from '../../../../bot/relay/command-words.js';
import { QUESTION_VERBS } from '../../../../cards/question-verbs.js';
import { webUser } from '../../../support/core-harness.js';
import { analyst, createRelayHarness, QUEUE, type RelayHarness } from './relay-harness.js';

// Review findings B2 and S9: in a chat without threads (Teams personal chat, the console) the bot is both the
// command line and the line to the experts. Commands, malformed commands and typos are answered, never
// relayed; prose goes to the one open request (and the sender is told), or the sender picks; edits are
// relayed only for messages that were relayed.

const dm = (p: Principal): ConversationRef => ({
  platform: 'web',
  id: `web:${p.userId}`,
  threadId: null,
  kind: 'personal',
});
const json = (r: Reply | undefined): string => JSON.stringify(r?.card ?? r?.text ?? '');
const all = (rs: readonly Reply[]): string => rs.map(json).join(' ');

describe('a customer’s chat without threads', () => {
  let h: RelayHarness;
  beforeEach(async () => {
    h = await createRelayHarness();
  });
  afterEach(async () => {
    await h.cleanup();
  });

  let n = 0;
  const says = (text: string, extra: Record<string, unknown> = {}) => {
    n += 1;
    return h.send({
      principal: analyst,
      conversation: dm(analyst),
      input: { kind: 'message', text, attachmentCount: 0, messageId: `m${n}`, ...extra },
    });
  };
  const inQueue = (needle: string) =>
    h.chat.deliveries.filter((d) => d.conversationId === QUEUE.id && d.text.includes(needle));
  const ask = async (text: string) => {
    const replies = await says(`ask ${text}`);
    const id = /Question (Q-[0-9A-Z]+)/.exec(all(replies))?.[1];
    expect(id).toBeDefined();
    // No threads here: the card says answers come "here", not "in this thread".
    expect(all(replies)).toContain('An expert will reply here');
    expect(all(replies)).not.toContain('in this thread');
    await h.flush();
    return id as string;
  };

  it('answers typos and malformed commands, and relays none of them', async () => {
    await ask('Is the sign-in from Lagos expected?');
    for (const text of ['incidnets please', 'report 2026-13', 'report 0d', 'escalate', 'ask', 'Questons']) {
      const replies = await says(text);
      expect(replies.length, text).toBeGreaterThan(0);
      expect(all(replies), text).toMatch(/Try:|Did you mean/);
      expect(all(replies), text).toContain('not passed on');
    }
    await h.flush();
    for (const needle of ['incidnets', '2026-13', '0d', 'Questons'])
      expect(inQueue(needle), needle).toHaveLength(0);
    expect(h.chat.deliveries.filter((d) => d.conversationId === QUEUE.id && d.op === 'reply')).toHaveLength(
      0,
    );
  });

  it('answers the documented phrasings as commands while a question is open, and relays none of them', async () => {
    await ask('Is the sign-in from Lagos expected?');
    const phrasings = [
      'what needs my action?',
      'who is my SDM?',
      'what’s the status of incident 10503',
      "what's the status of 30263",
      'status 10503',
      '#10503',
      '10503',
    ];
    for (const text of phrasings) {
      const replies = await says(text);
      expect(replies.length, text).toBeGreaterThan(0);
      expect(all(replies), text).not.toContain('Passed on');
      expect(all(replies), text).not.toContain('Which one is this for');
    }
    await h.flush();
    expect(h.chat.deliveries.filter((d) => d.conversationId === QUEUE.id && d.op === 'reply')).toHaveLength(
      0,
    );
    // Prose that merely mentions a status is still a message for the experts.
    const prose = await says('The status of the VPN is fine now, the user confirmed');
    expect(all(prose)).toContain('Passed on to Defender Experts');
  });

  it('answers a typo after every request is resolved, without offering to reopen one', async () => {
    const id = await ask('Is the sign-in from Lagos expected?');
    await h.click(analyst, QUESTION_VERBS.questionResolve, { id });
    const replies = await says('incidnets');
    expect(replies).toHaveLength(1);
    expect(all(replies)).toMatch(/Did you mean .*incidents/);
    expect(all(replies)).not.toContain('not passed on');
    expect(all(replies)).not.toContain(id);
    await h.flush();
    expect(inQueue('incidnets')).toHaveLength(0);
  });

  it('never relays the edit of a message that was not relayed (a command), nor posts an edit as new', async () => {
    await ask('is Lagos expected?');
    await says('incident 10494', { messageId: 'cmd-1' });
    const edited = await says('incident 10495 my password is Hunter2', {
      messageId: 'cmd-1',
      change: 'edited',
      sentAt: new Date(h.clock.now().getTime() + 5000).toISOString(),
    });
    expect(edited).toEqual([]);
    await h.flush();
    expect(inQueue('Hunter2')).toHaveLength(0);
  });

  it('relays prose to the one open request, says where it went, and relays its edit in place', async () => {
    const id = await ask('Is the sign-in from Lagos expected?');
    const replies = await says('It happened at 03:00 UTC, user was asleep', { messageId: 'p1' });
    expect(all(replies)).toContain(
      `Passed on to Defender Experts (${id} · Is the sign-in from Lagos expected?)`,
    );
    await h.flush();
    expect(inQueue('user was asleep').map((d) => d.op)).toEqual(['reply']);
    await says('It happened at 04:00 UTC, user was asleep', {
      messageId: 'p1',
      change: 'edited',
      sentAt: new Date(h.clock.now().getTime() + 5000).toISOString(),
    });
    await h.flush();
    // Updated in place (one update), never posted again as a new message.
    expect(inQueue('04:00 UTC').map((d) => d.op)).toEqual(['update']);
    expect(inQueue('user was asleep').map((d) => d.op)).toEqual(['reply', 'update']);
  });

  it('with two open questions, asks which one and relays nothing until the asker picks', async () => {
    const first = await ask('Is the sign-in from Lagos expected?');
    const second = await ask('Why did Defender flag PowerShell on HR-LAPTOP-7?');
    const replies = await says('It was the admin running a script', { messageId: 'p2' });
    const card = json(replies[0]);
    expect(card).toContain('Which one is this for?');
    expect(card).toContain(first);
    expect(card).toContain(second);
    await h.flush();
    expect(inQueue('admin running a script')).toHaveLength(0);
    const actions = ((replies[0]?.card ?? {}) as { actions?: { title: string; data: { pairId: string } }[] })
      .actions;
    // Both go to Defender Experts: the buttons name the questions, so they can be told apart.
    expect(actions?.map((a) => a.title).sort()).toEqual([`Send to ${first}`, `Send to ${second}`].sort());
    const pick = actions?.find((a) => a.title === `Send to ${second}`);
    expect(pick).toBeDefined();
    // A colleague in the same chat (a group chat) cannot send someone else's held message.
    const colleague = await h.send({
      principal: webUser('contoso-admin', 'customer:contoso'),
      conversation: dm(analyst),
      input: {
        kind: 'action',
        verb: QUESTION_VERBS.relayReply,
        data: { pairId: pick?.data.pairId, sourceId: 'p2' },
      },
    });
    expect(all(colleague)).toContain('Nothing to send');
    await h.flush();
    expect(inQueue('admin running a script')).toHaveLength(0);
    const chosen = await h.click(analyst, QUESTION_VERBS.relayReply, {
      pairId: pick?.data.pairId,
      sourceId: 'p2',
    });
    expect(all(chosen)).toContain(`Passed on to Defender Experts (${second}`);
    await h.flush();
    const copies = inQueue('admin running a script');
    expect(copies).toHaveLength(1);
    // It went into the second question's queue thread: the reply hangs under that question's card.
    const secondRoot = h.chat.postsIn(QUEUE.id).find((p) => p.text.includes(second));
    expect(copies[0]?.messageId).toBe(secondRoot?.messageId);
  });
});

describe('command words', () => {
  it('knows commands and one-slip typos of long ones, and leaves prose alone', () => {
    expect(commandWordOf('incidents awaiting')).toEqual({ word: 'incidents', exact: true });
    expect(commandWordOf('incidnets please')).toEqual({ word: 'incidents', exact: false });
    expect(commandWordOf('Report: done')).toEqual({ word: 'report', exact: true });
    expect(commandWordOf('checking the logs now')).toBeNull();
    expect(commandWordOf('reports look fine')).toBeNull();
    expect(commandWordOf('thanks, that helps')).toBeNull();
    expect(commandWordOf('as discussed')).toBeNull();
  });
});
