import { QUESTION_VERBS } from '../../cards/question-verbs.js';
import { BotError } from '../errors.js';
import { askExperts, showAskForm } from './ask-experts.js';
import type { CustomerContext, FlowContext, VerbRoute } from './context.js';
import { claimQuestion, listQuestions, resolveQuestion, showQuestion } from './questions.js';
import { relayReply } from './relay-reply.js';
import { relayUndo } from './relay-undo.js';

// Ask Defender Experts' card actions, registered in flows/index.ts with the other verbs. The permission table
// admits the roles; the flows then narrow by record (the asker, an admin of its customer, the queue).

function customerCtx(ctx: FlowContext): CustomerContext {
  if (ctx.customer === null)
    throw new BotError('forbidden', 'customer-scoped route reached without a customer');
  return ctx as CustomerContext;
}

type QuestionVerbRoutes = {
  readonly [V in (typeof QUESTION_VERBS)[keyof typeof QUESTION_VERBS]]: VerbRoute<V>;
};

/** The question verbs' routes. */
export const questionVerbRoutes: QuestionVerbRoutes = {
  [QUESTION_VERBS.questionForm]: {
    verb: QUESTION_VERBS.questionForm,
    handle: (ctx, d) => showAskForm(customerCtx(ctx), d.incidentId),
  },
  [QUESTION_VERBS.questionAsk]: {
    verb: QUESTION_VERBS.questionAsk,
    handle: (ctx, d) =>
      askExperts(customerCtx(ctx), {
        topic: d.qTopic ?? (d.incidentId === null ? 'other' : 'alertOrIncident'),
        text: d.qText ?? '',
        context: d.qContext ?? null,
        incidentId: d.incidentId,
      }),
  },
  [QUESTION_VERBS.questionClaim]: {
    verb: QUESTION_VERBS.questionClaim,
    handle: (ctx, d) => claimQuestion(ctx, d.id),
  },
  [QUESTION_VERBS.questionShow]: {
    verb: QUESTION_VERBS.questionShow,
    handle: (ctx, d) => showQuestion(ctx, d.id),
  },
  [QUESTION_VERBS.questionResolve]: {
    verb: QUESTION_VERBS.questionResolve,
    handle: (ctx, d) => resolveQuestion(ctx, d.id),
  },
  [QUESTION_VERBS.questionsList]: {
    verb: QUESTION_VERBS.questionsList,
    // A page of the experts' queue replaces the card it was asked from.
    handle: (ctx, d) => listQuestions(ctx, d.offset === undefined ? 'new' : 'replace', d.offset ?? 0),
  },
  // Customers and provider people alike; the pair's own rule is checked in the flow.
  [QUESTION_VERBS.relayReply]: {
    verb: QUESTION_VERBS.relayReply,
    handle: (ctx, d) => relayReply(ctx, d),
  },
  [QUESTION_VERBS.relayUndo]: {
    verb: QUESTION_VERBS.relayUndo,
    handle: (ctx, d) => relayUndo(ctx, d),
  },
};

/** `ask` and `questions` as commands. */
export const askCommand = (
  ctx: FlowContext,
  c: { readonly incidentId: string | null; readonly text: string },
) =>
  askExperts(customerCtx(ctx), {
    topic: c.incidentId === null ? 'other' : 'alertOrIncident',
    text: c.text,
    context: null,
    incidentId: c.incidentId,
  });
