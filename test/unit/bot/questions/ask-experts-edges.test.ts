import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Principal } from '../../../../bot/domain/actor.js';
import type { ConversationRef } from '../../../../bot/domain/conversation.js';
import type { Reply } from '../../../../bot/ports.js';
import { questionRequestCard } from '../../../../cards/index.js';
import { QUESTION_LIMITS, QUESTION_VERBS } from '../../../../cards/question-verbs.js';
import { analyst, createRelayHarness, expert, QUEUE, type RelayHarness } from '../relay/relay-harness.js';

// Review findings S1, S2 and S3 for asking: the other side reads everything the asker typed, customers never
// see an expert's name, and a turn that fails after creating the request is finished by its retry.

const dm = (p: Principal): ConversationRef => ({
  platform: 'web',
  id: `web:${p.userId}`,
  threadId: null,
  kind: 'personal',
});
const cardText = (r: Reply | undefined): string => JSON.stringify(r?.card ?? r?.text ?? '');

describe('what each side sees', () => {
  let h: RelayHarness;
  beforeEach(async () => {
    h = await createRelayHarness();
  });
  afterEach(async () => {
    await h.cleanup();
  });

  it('shows the experts a maximum-length question and context whole (the last word arrives)', async () => {
    const text = `${'Why did this sign-in happen from an unusual place? '.repeat(80)}`.slice(0, 3990);
    const qText = `${text.slice(0, QUESTION_LIMITS.text - ' QUESTION-END'.length)} QUESTION-END`;
    const qContext = `${'device HR-LAPTOP-7, alert 42; '.repeat(40).slice(0, QUESTION_LIMITS.context - 12)} CONTEXT-END`;
    expect(qText).toHaveLength(QUESTION_LIMITS.text);
    expect(qContext).toHaveLength(QUESTION_LIMITS.context);
    const replies = await h.click(analyst, QUESTION_VERBS.questionAsk, { incidentId: null, qText, qContext });
    expect(cardText(replies[0])).toContain('QUESTION-END');
    expect(cardText(replies[0])).toContain('CONTEXT-END');
    await h.worker.runOnce();
    const queueCard = h.chat.postsIn(QUEUE.id).at(-1);
    expect(queueCard?.text).toContain('QUESTION-END');
    expect(queueCard?.text).toContain('CONTEXT-END');
    // Still well within Teams' message size (about 28 KB).
    expect(new TextEncoder().encode(queueCard?.text ?? '').length).toBeLessThan(24_000);
  });

  it('never shows the expert’s name to the customer: not in the list, not on the request card', async () => {
    const replies = await h.send({
      principal: analyst,
      conversation: dm(analyst),
      input: { kind: 'message', text: 'ask Is the sign-in expected?', attachmentCount: 0, messageId: 'a1' },
    });
    const id = /Question (Q-[0-9A-Z]+)/.exec(cardText(replies[0]))?.[1] as string;
    const claimed = await h.click(expert, QUESTION_VERBS.questionClaim, { id });
    expect(cardText(claimed[0])).toContain('Eve Expert'); // the experts do see who has it
    const list = await h.say(analyst, 'questions');
    expect(cardText(list[0])).toContain(id);
    expect(cardText(list[0])).not.toContain('Eve Expert');
    const resolvedByAsker = await h.click(analyst, QUESTION_VERBS.questionResolve, { id });
    expect(cardText(resolvedByAsker[0])).not.toContain('Eve Expert');
    const q = await h.questions.get('contoso', id);
    if (q === null) throw new Error('question missing');
    const card = questionRequestCard({ question: { ...q, state: 'claimed' }, now: h.clock.now() });
    expect(JSON.stringify(card.card)).toContain('Claimed by Defender Experts');
    expect(JSON.stringify(card.card)).not.toContain('Eve Expert');
    expect(card.fallbackText).not.toContain('Eve Expert');
    await h.flush();
    const toAsker = h.chat.deliveries.filter((d) => d.conversationId === dm(analyst).id);
    expect(toAsker.map((d) => d.text).join(' ')).not.toContain('Eve Expert');
  });
});

describe('a turn that fails after the request was created', () => {
  it('is finished by its retry: the request reaches the experts once, never "Already sent" with nothing sent', async () => {
    const faults = { failOpenPair: 1 };
    const h = await createRelayHarness(1_000, faults);
    try {
      const data = { incidentId: null, qTopic: 'threatIntelligence', qText: 'Is APT29 targeting us?' };
      const failed = await h.click(analyst, QUESTION_VERBS.questionAsk, data);
      expect(cardText(failed[0])).not.toContain('Question Q-');
      await h.flush();
      expect(h.chat.postsIn(QUEUE.id)).toHaveLength(0);
      // The platform (or the user) sends it again: the one request is found and delivered.
      const retried = await h.click(analyst, QUESTION_VERBS.questionAsk, data);
      expect(cardText(retried[0])).toContain('Already sent');
      await h.flush();
      const mine = await h.questions.listByAsker('contoso', 'web:contoso-analyst', 10);
      expect(mine).toHaveLength(1);
      const posts = h.chat.postsIn(QUEUE.id);
      expect(posts).toHaveLength(1);
      expect(posts[0]?.text).toContain(mine[0]?.id ?? 'missing');
      // A third click changes nothing more.
      await h.click(analyst, QUESTION_VERBS.questionAsk, data);
      await h.flush();
      expect(h.chat.postsIn(QUEUE.id)).toHaveLength(1);
    } finally {
      await h.cleanup();
    }
  });
});

describe('the experts’ queue', () => {
  it('gives the real count and pages through it', async () => {
    const h = await createRelayHarness();
    try {
      for (let i = 1; i <= 22; i += 1) {
        h.clock.advance(1_000);
        await h.say(analyst, `ask question number ${i} about sign-ins`);
      }
      const first = await h.say(expert, 'questions');
      const page1 = cardText(first[0]);
      expect(page1).toContain('22 open, claimed or answered');
      expect(page1).toContain('showing 1–20');
      expect(page1).toContain('question number 1 about');
      expect(page1).not.toContain('question number 21 about');
      const next = /"title":"Next","verb":"questions\.list","data":\{"offset":(\d+)\}/.exec(page1)?.[1];
      expect(next).toBe('20');
      const second = await h.click(expert, QUESTION_VERBS.questionsList, { offset: 20 });
      const page2 = cardText(second[0]);
      expect(page2).toContain('showing 21–22');
      expect(page2).toContain('question number 21 about');
      expect(page2).toContain('question number 22 about');
      expect(page2).not.toContain('"title":"Next"');
      expect(page2).toContain('"title":"Previous"');
    } finally {
      await h.cleanup();
    }
  });
});
