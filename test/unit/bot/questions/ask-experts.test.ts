import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Principal } from '../../../../bot/domain/actor.js';
import type { ConversationRef } from '../../../../bot/domain/conversation.js';
import { askExperts } from '../../../../bot/flows/ask-experts.js';
import { createLookupGuard } from '../../../../bot/flows/incident-lookup.js';
import type { Reply } from '../../../../bot/ports.js';
import { purgeHistory } from '../../../../bot/questions/purge.js';
import { QUESTION_VERBS } from '../../../../cards/question-verbs.js';
import {
  analyst,
  createRelayHarness,
  expert,
  notExpert,
  QUEUE,
  type RelayHarness,
  woodgrove,
} from '../relay/relay-harness.js';

// Ask Defender Experts through the core with a real SQLite file and the relay worker driven by hand: asking,
// the queue card, replies both ways, duplicates and out-of-order deliveries, edits and deletions, lifecycle,
// privacy between customers, injection strings, and the six-month purge with the harness's clock.

// biome-ignore lint/suspicious/noTemplateCurlyInString: template syntax as hostile input is the point
const HOSTILE = 'Check <!channel> @here <@U0BOSS> [win](https://evil.example) **now** ${x} www.evil.example';
const dm = (p: Principal): ConversationRef => ({
  platform: 'web',
  id: `web:${p.userId}`,
  threadId: null,
  kind: 'personal',
});
const queueThread = (root: string): ConversationRef => ({ ...QUEUE, threadId: root });
const cardText = (r: Reply | undefined): string => JSON.stringify(r?.card ?? r?.text ?? '');

describe('Ask Defender Experts flow', () => {
  let h: RelayHarness;
  beforeEach(async () => {
    h = await createRelayHarness();
  });
  afterEach(async () => {
    await h.cleanup();
  });

  async function ask(text = 'Is the sign-in from Lagos expected?'): Promise<{ id: string; root: string }> {
    const replies = await h.send({
      principal: analyst,
      conversation: dm(analyst),
      input: { kind: 'message', text: `ask ${text}`, attachmentCount: 0, messageId: 'ask-1' },
    });
    const card = cardText(replies[0]);
    const id = /Question (Q-[0-9A-Z]+)/.exec(card)?.[1];
    expect(id, card).toBeDefined();
    await h.worker.runOnce();
    const root = h.chat.postsIn(QUEUE.id).at(-1);
    expect(root, 'queue card posted').toBeDefined();
    return { id: id as string, root: root?.messageId as string };
  }

  const expertSays = (root: string, messageId: string, text: string, extra: Record<string, unknown> = {}) =>
    h.send({
      principal: expert,
      conversation: queueThread(root),
      input: { kind: 'message', text, attachmentCount: 0, messageId, addressed: false, ...extra },
    });

  it('posts a request card to the asker and a queue card with Claim / Resolve to the experts', async () => {
    const { id } = await ask();
    const queueCard = h.chat.postsIn(QUEUE.id).at(-1)?.text ?? '';
    expect(queueCard).toContain(id);
    expect(queueCard).toContain('Contoso');
    expect(queueCard).toContain(QUESTION_VERBS.questionClaim);
    expect(queueCard).toContain(QUESTION_VERBS.questionResolve);
    expect((await h.questions.get('contoso', id))?.state).toBe('open');
  });

  it('relays an expert reply to the asker once, as from Defender Experts, escaped', async () => {
    const { id, root } = await ask();
    h.clock.advance(90_000);
    const repliedAt = h.clock.now().toISOString();
    expect(await expertSays(root, 'e1', HOSTILE)).toEqual([]);
    expect(await h.worker.runOnce()).toBe(0); // still inside the settle window
    await h.flush();
    const toAsker = h.chat.deliveries.filter((d) => d.conversationId === dm(analyst).id);
    expect(toAsker).toHaveLength(1);
    expect(toAsker[0]?.text).toContain('Defender Experts');
    expect(toAsker[0]?.text).not.toContain('Eve Expert');
    expect(toAsker[0]?.text).not.toContain('<!channel>');
    expect(toAsker[0]?.text).not.toContain('[win](https://evil.example)');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: no live template expression may reach a card
    expect(toAsker[0]?.text).not.toContain('${x}');
    // The same message again (a platform retry with a new delivery id): nothing more is sent.
    await expertSays(root, 'e1', HOSTILE);
    await h.flush();
    expect(h.chat.deliveries.filter((d) => d.conversationId === dm(analyst).id)).toHaveLength(1);
    const q = await h.questions.get('contoso', id);
    expect(q).toMatchObject({ state: 'answered', claimedBy: 'web:expert', firstResponseAt: repliedAt });
  });

  it('keeps the platform’s order when deliveries arrive out of order, and relays edits and deletions in place', async () => {
    const { root } = await ask();
    const t = h.clock.now().getTime();
    await expertSays(root, 'e3', 'third', { sentAt: new Date(t + 3000).toISOString() });
    await expertSays(root, 'e2', 'second', { sentAt: new Date(t + 2000).toISOString() });
    await h.flush();
    const posts = h.chat.deliveries.filter((d) => d.conversationId === dm(analyst).id && d.op === 'post');
    expect(posts.map((d) => (d.text.includes('second') ? 2 : 3))).toEqual([2, 3]);
    await expertSays(root, 'e2', 'second, corrected', {
      change: 'edited',
      sentAt: new Date(t + 5000).toISOString(),
    });
    await expertSays(root, 'e3', '', { change: 'deleted', sentAt: new Date(t + 6000).toISOString() });
    await h.flush();
    // A stale edit delivered late (older than the version applied) changes nothing.
    await expertSays(root, 'e2', 'stale', { change: 'edited', sentAt: new Date(t + 4000).toISOString() });
    await h.flush();
    const updates = h.chat.deliveries.filter((d) => d.conversationId === dm(analyst).id && d.op === 'update');
    expect(updates).toHaveLength(2);
    expect(updates[0]?.messageId).toBe(posts[0]?.messageId);
    expect(updates[0]?.text).toContain('second, corrected');
    expect(updates[0]?.text).toContain('Edited');
    expect(updates[1]?.messageId).toBe(posts[1]?.messageId);
    expect(updates[1]?.text).toContain('Message removed');
    expect(updates[1]?.text).not.toContain('third');
  });

  it('relays the asker’s follow-up to the queue thread, says attachments are not passed on', async () => {
    const { root } = await ask();
    const replies = await h.send({
      principal: analyst,
      conversation: dm(analyst),
      input: { kind: 'message', text: 'More detail: it was 03:00 UTC', attachmentCount: 2, messageId: 'c1' },
    });
    expect(replies.map((r) => r.text).join(' ')).toContain('Attachments are not passed on');
    await h.flush();
    const inQueue = h.chat.deliveries.filter((d) => d.conversationId === QUEUE.id && d.op === 'reply');
    expect(inQueue).toHaveLength(1);
    expect(inQueue[0]?.messageId).toBe(root);
    expect(inQueue[0]?.text).toContain('Contoso Ltd · contoso-analyst');
    expect(inQueue[0]?.text).toContain('Attachments were not passed on');
    // A command in the DM is still a command, not relayed.
    const help = await h.say(analyst, 'help');
    expect(cardText(help[0])).toContain('help');
    await h.flush();
    expect(h.chat.deliveries.filter((d) => d.conversationId === QUEUE.id && d.op === 'reply')).toHaveLength(
      1,
    );
  });

  it('walks open → claimed → answered → resolved → reopened, with first-response and resolve times', async () => {
    const { id, root } = await ask();
    h.clock.advance(60_000);
    const claimed = await h.click(expert, QUESTION_VERBS.questionClaim, { id });
    expect(cardText(claimed[0])).toContain('Claimed by Eve Expert');
    expect((await h.questions.get('contoso', id))?.state).toBe('claimed');
    h.clock.advance(3_600_000);
    await expertSays(root, 'e1', 'It is expected: travel.');
    const answered = await h.questions.get('contoso', id);
    expect(answered?.state).toBe('answered');
    expect(Date.parse(answered?.firstResponseAt ?? '') - Date.parse(answered?.createdAt ?? '')).toBe(
      3_660_000,
    );
    const resolved = await h.click(analyst, QUESTION_VERBS.questionResolve, { id });
    expect(cardText(resolved[0])).toContain('Time to resolve');
    expect((await h.questions.get('contoso', id))?.resolvedBy).toBe('asker');
    // In a chat without threads a follow-up never reopens a resolved question silently: the asker is offered it.
    const follow = await h.send({
      principal: analyst,
      conversation: dm(analyst),
      input: { kind: 'message', text: 'Actually one more thing', attachmentCount: 0, messageId: 'c9' },
    });
    expect(follow.map((r) => r.text).join(' ')).toContain('Not sent');
    expect((await h.questions.get('contoso', id))?.state).toBe('resolved');
    const pairId = /"pairId":"(rp-[0-9a-f-]+)"/.exec(cardText(follow[0]))?.[1];
    expect(pairId).toBeDefined();
    const chosen = await h.click(analyst, QUESTION_VERBS.relayReply, {
      pairId,
      sourceId: 'c9',
    });
    expect(chosen.map((r) => cardText(r)).join(' ')).toContain('open again');
    const reopened = await h.questions.get('contoso', id);
    expect(reopened).toMatchObject({ state: 'reopened', reopenCount: 1, resolvedAt: null });
    const list = await h.say(analyst, 'questions');
    expect(cardText(list[0])).toContain(id);
    expect(cardText(list[0])).toContain('Reopened');
    const queue = await h.say(expert, 'questions');
    expect(cardText(queue[0])).toContain(id);
    await h.flush();
    const updatesOfQueueCard = h.chat.deliveries.filter(
      (d) => d.conversationId === QUEUE.id && d.op === 'update',
    );
    // The queue card is redrawn once per state, in order.
    const states = updatesOfQueueCard.map(
      (d) =>
        /"stateLine":\s*"([^"]*)"|"text":"((?:Claimed|Answered|Resolved|Reopened)[^"]*)"/
          .exec(d.text)
          ?.slice(1)
          .find(Boolean) ?? '?',
    );
    expect(states).toEqual([
      'Claimed by Eve Expert',
      'Answered: the experts replied',
      'Resolved',
      'Reopened by a follow-up',
    ]);
    expect(updatesOfQueueCard.every((d) => d.messageId === root)).toBe(true);
    const followUp = h.chat.deliveries.filter((d) => d.conversationId === QUEUE.id && d.op === 'reply');
    expect(followUp.map((d) => d.text.includes('Actually one more thing'))).toContain(true);
  });

  it('keeps customers apart and refuses people who are not on the request', async () => {
    const { id, root } = await ask();
    expect(cardText((await h.say(woodgrove, 'questions'))[0])).not.toContain(id);
    const other = await h.click(woodgrove, QUESTION_VERBS.questionResolve, { id });
    expect(cardText(other[0])).toContain('There is no question');
    expect((await h.questions.get('contoso', id))?.state).toBe('open');
    const refused = await h.send({
      principal: notExpert,
      conversation: queueThread(root),
      input: { kind: 'message', text: 'hi', attachmentCount: 0, messageId: 'x1', addressed: false },
    });
    expect(refused.map((r) => r.text).join(' ')).toContain('not passed on');
    await h.flush();
    expect(h.chat.deliveries.filter((d) => d.conversationId === dm(analyst).id)).toHaveLength(0);
    const claim = await h.click(analyst, QUESTION_VERBS.questionClaim, { id });
    expect(cardText(claim[0])).toMatch(/Not allowed|not available/i);
  });

  it('answers clearly when an incident is unknown or text is missing, changing nothing', async () => {
    const unknown = await h.say(analyst, 'ask incident 999999 what happened?');
    expect(cardText(unknown[0])).toContain('Incident not found');
    const form = await h.click(analyst, QUESTION_VERBS.questionAsk, { incidentId: null });
    expect(cardText(form[0])).toContain('Nothing to send');
    expect(await h.questions.listByAsker('contoso', 'web:contoso-analyst', 10)).toEqual([]);
    await h.worker.runOnce();
    expect(h.chat.deliveries).toEqual([]);
  });

  it('purges history after six months (clock moved), after which the thread is no longer relayed', async () => {
    const { id, root } = await ask();
    await expertSays(root, 'e1', 'answer');
    await h.flush();
    h.clock.advance(150 * 86_400_000);
    expect(await purgeHistory({ questions: h.questions, relay: h.relayStore }, h.clock.now())).toMatchObject({
      questions: 0,
      pairs: 0,
    });
    h.clock.advance(40 * 86_400_000);
    const purged = await purgeHistory({ questions: h.questions, relay: h.relayStore }, h.clock.now());
    expect(purged).toMatchObject({ questions: 1, pairs: 1 });
    expect(await h.questions.get('contoso', id)).toBeNull();
    const before = h.chat.deliveries.length;
    await expertSays(root, 'e2', 'late answer');
    await h.flush();
    expect(h.chat.deliveries.length).toBe(before);
  });
});

describe('quarterly allocation', () => {
  let h: RelayHarness;
  beforeEach(async () => {
    h = await createRelayHarness();
  });
  afterEach(async () => {
    await h.cleanup();
  });

  it('refuses the question after the allocation is used up, clearly, and allows it again next quarter', async () => {
    const contoso = h.directory.customers.find((c) => c.id === 'contoso');
    if (contoso === undefined) throw new Error('demo customer missing');
    const ctx = {
      store: h.store,
      source: h.simulation,
      directory: h.directory,
      clock: h.clock,
      logger: { debug() {}, info() {}, warn() {}, error() {} },
      relay: h.relay,
      questions: { store: h.questions, queue: QUEUE },
      lookups: createLookupGuard(),
      actor: {
        principal: analyst,
        qualifiedId: 'web:contoso-analyst',
        customerId: 'contoso',
        roles: new Set(['analyst'] as const),
        linked: true,
      },
      customer: { ...contoso, questionsPerQuarter: 1 },
      conversation: dm(analyst),
    };
    const input = { topic: 'other' as const, text: 'first', context: null, incidentId: null };
    expect(cardText((await askExperts(ctx, input))[0])).toContain('Question Q-');
    const refused = cardText((await askExperts(ctx, { ...input, text: 'second' }))[0]);
    expect(refused).toContain('allocation used up');
    expect(refused).toContain('all 1 questions of this quarter');
    expect(refused).toContain('2027-01-01');
    expect(await h.questions.listByAsker('contoso', 'web:contoso-analyst', 10)).toHaveLength(1);
    h.clock.advance(40 * 86_400_000);
    expect(cardText((await askExperts(ctx, { ...input, text: 'next quarter' }))[0])).toContain('Question Q-');
  });
});

describe('double clicks', () => {
  let h: RelayHarness;
  beforeEach(async () => {
    h = await createRelayHarness();
  });
  afterEach(async () => {
    await h.cleanup();
  });

  it('treats the same form sent twice as one request', async () => {
    const data = { incidentId: null, qTopic: 'threatIntelligence', qText: 'Is APT29 targeting us?' };
    const first = await h.click(analyst, QUESTION_VERBS.questionAsk, data);
    const second = await h.click(analyst, QUESTION_VERBS.questionAsk, data);
    expect(cardText(first[0])).toContain('Question Q-');
    expect(cardText(second[0])).toContain('Already sent');
    expect(await h.questions.listByAsker('contoso', 'web:contoso-analyst', 10)).toHaveLength(1);
    const other = await h.click(analyst, QUESTION_VERBS.questionAsk, { ...data, qText: 'And APT28?' });
    expect(cardText(other[0])).toContain('Question Q-');
  });
});
