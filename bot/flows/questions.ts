import { PAGE } from '../../cards/builders/question-list.js';
import {
  noticeCard,
  questionListCard,
  questionQueueCard,
  questionRequestCard,
  REOPEN_UNTHREADED,
} from '../../cards/index.js';
import { type Question, WAITING_STATES } from '../domain/question.js';
import type { Reply } from '../ports.js';
import { refreshQueueCard } from '../questions/service.js';
import { cardReply } from '../replies.js';
import type { FlowContext } from './context.js';
import { hasRole } from './context.js';

// `questions` (mine, or the experts' queue), and the Claim / Resolve buttons. A customer only ever reads
// its own customer's requests; an expert reads one request at a time, with only that request's context.

const LIST_LIMIT = PAGE;

const notice = (title: string, text: string): Reply =>
  cardReply(noticeCard({ title, text, tone: 'warning' }));

const NOT_FOUND = (id: string): Reply => notice('Question not found', `There is no question ${id} for you.`);
const UNAVAILABLE = notice('Not available', 'Ask Defender Experts is not set up for this bot.');

/** The caller's questions (customer) or the queue (expert). */
export async function listQuestions(
  ctx: FlowContext,
  mode: Reply['mode'],
  offset = 0,
): Promise<readonly Reply[]> {
  const desk = ctx.questions;
  if (desk === undefined) return [UNAVAILABLE];
  const now = ctx.clock.now();
  if (ctx.customer !== null) {
    const mine = await desk.store.listByAsker(ctx.customer.id, ctx.actor.qualifiedId, LIST_LIMIT);
    return [cardReply(questionListCard({ audience: 'asker', questions: mine, now }), mode)];
  }
  if (!hasRole(ctx.actor, 'expert'))
    return [notice('Not available here', 'The question queue is for the provider’s experts.')];
  const states = [...WAITING_STATES, 'answered'] as const;
  const queue = await desk.store.listQueue(states, LIST_LIMIT, offset);
  const total = await desk.store.countQueue(states);
  const names = new Map(ctx.directory.customers.map((c) => [c.id, c.name]));
  const card = questionListCard({
    audience: 'expert',
    questions: queue,
    customerNames: names,
    now,
    total,
    offset,
  });
  return [cardReply(card, mode)];
}

function hookDeps(ctx: FlowContext) {
  if (ctx.relay === undefined || ctx.questions === undefined) return null;
  return { ...ctx, relay: ctx.relay, questions: ctx.questions.store };
}

/** "Open" on the experts' queue list: that request's queue card, as a new message for the expert. */
export async function showQuestion(ctx: FlowContext, id: string): Promise<readonly Reply[]> {
  const desk = ctx.questions;
  if (desk === undefined) return [UNAVAILABLE];
  if (!hasRole(ctx.actor, 'expert'))
    return [notice('Not available here', 'The question queue is for the provider’s experts.')];
  const q = await desk.store.getForProvider(id);
  if (q === null) return [NOT_FOUND(id)];
  return [{ ...(await queueReply(ctx, q)), mode: 'new' }];
}

async function queueReply(ctx: FlowContext, q: Question): Promise<Reply> {
  const incident = q.incidentId === null ? null : await ctx.store.getIncident(q.customerId, q.incidentId);
  const customerName = ctx.directory.customers.find((c) => c.id === q.customerId)?.name ?? q.customerId;
  return cardReply(
    questionQueueCard({ question: q, customerName, incident, now: ctx.clock.now() }),
    'replace',
  );
}

/** An expert takes a request: the queue card shows who, the asker is told someone is on it. */
export async function claimQuestion(ctx: FlowContext, id: string): Promise<readonly Reply[]> {
  const deps = hookDeps(ctx);
  if (deps === null) return [UNAVAILABLE];
  const q = await deps.questions.getForProvider(id);
  if (q === null) return [NOT_FOUND(id)];
  const at = ctx.clock.now().toISOString();
  const after = await deps.questions.transition(q.customerId, q.id, {
    from: ['open', 'reopened'],
    patch: {
      state: 'claimed',
      claimedBy: ctx.actor.qualifiedId,
      claimedByName: ctx.actor.principal.displayName,
      lastActivityAt: at,
    },
  });
  if (after === null) {
    const who = q.claimedByName ? ` by ${q.claimedByName}` : '';
    return [await queueReply(ctx, q), notice('Already taken', `Question ${q.id} is ${q.state}${who}.`)];
  }
  await refreshQueueCard(deps, after);
  const pair = await deps.relay.findPair('question', after.customerId, after.id);
  if (pair !== null)
    await deps.relay.say(
      pair.id,
      'customer',
      cardReply(
        noticeCard({
          title: `Question ${after.id}`,
          text: 'An expert is looking at your question.',
          tone: 'info',
        }),
      ),
      `${after.id}:claimed:${at}`,
    );
  return [await queueReply(ctx, after)];
}

/** Resolve: by an expert (any request) or by the asker (or an admin) of the customer. */
export async function resolveQuestion(ctx: FlowContext, id: string): Promise<readonly Reply[]> {
  const deps = hookDeps(ctx);
  if (deps === null) return [UNAVAILABLE];
  const expert = ctx.customer === null && hasRole(ctx.actor, 'expert');
  const q = expert
    ? await deps.questions.getForProvider(id)
    : ctx.customer === null
      ? null
      : await deps.questions.get(ctx.customer.id, id);
  if (q === null) return [NOT_FOUND(id)];
  if (!expert && q.askerId !== ctx.actor.qualifiedId && !hasRole(ctx.actor, 'admin'))
    return [notice('Not allowed', `Only the person who asked ${q.id} (or an admin) can resolve it.`)];
  const at = ctx.clock.now().toISOString();
  const after = await deps.questions.transition(q.customerId, q.id, {
    from: ['open', 'claimed', 'answered', 'reopened'],
    patch: { state: 'resolved', resolvedAt: at, resolvedBy: expert ? 'expert' : 'asker', lastActivityAt: at },
  });
  const current = after ?? q;
  if (after !== null) {
    await refreshQueueCard(deps, after);
    const pair = await deps.relay.findPair('question', after.customerId, after.id);
    // A chat without threads has no "this thread": there a follow-up is offered as a choice (reopen).
    const reopen = pair?.customer.wholeConversation
      ? REOPEN_UNTHREADED
      : 'Reply in this thread to reopen it.';
    const text = expert
      ? `Defender Experts marked this question resolved. ${reopen}`
      : `The customer (${ctx.actor.principal.displayName}) marked this question resolved.`;
    if (pair !== null)
      await deps.relay.say(
        pair.id,
        expert ? 'customer' : 'provider',
        cardReply(noticeCard({ title: `Question ${after.id} resolved`, text, tone: 'info' })),
        `${after.id}:resolved:${at}`,
      );
  }
  if (expert) return [await queueReply(ctx, current)];
  const conv = ctx.conversation;
  const unthreaded = conv.platform !== 'slack' && conv.kind !== 'channel' && conv.threadId === null;
  return [cardReply(questionRequestCard({ question: current, now: ctx.clock.now(), unthreaded }), 'replace')];
}
