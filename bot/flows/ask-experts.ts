import { createHash } from 'node:crypto';
import { askFormCard, noticeCard, questionQueueCard, questionRequestCard } from '../../cards/index.js';
import { type AskSource, QUESTION_LIMITS } from '../../cards/question-verbs.js';
import type { ConversationRef } from '../domain/conversation.js';
import type { Question, QuestionTopic } from '../domain/question.js';
import type { Reply } from '../ports.js';
import type { Allocation } from '../questions/questions-ports.js';
import { allocationFor, newQuestionId } from '../questions/service.js';
import type { SideSpec } from '../relay/types.js';
import { cardReply, textReply } from '../replies.js';
import type { CustomerContext } from './context.js';

// Ask Defender Experts: `ask …`, `ask incident <id> …` and the form behind the card button
// become a tracked request, posted to the experts' queue as a card whose thread is paired with the asker's.

export interface AskInput {
  readonly topic: QuestionTopic;
  readonly text: string;
  readonly context: string | null;
  readonly incidentId: string | null;
}

/** Within this many seconds, the same question from the same person is a double click, not a new one. */
const RESEND_WINDOW_SECONDS = 300;

const notice = (title: string, text: string, tone: 'info' | 'warning' = 'warning'): Reply =>
  cardReply(noticeCard({ title, text, tone }));

const UNAVAILABLE = notice(
  'Ask Defender Experts is not available',
  'The experts’ queue is not set up for this bot, so nothing was sent. Use "Ask Defender Experts" in the Microsoft Defender portal (security.microsoft.com).',
);

/**
 * Where the asker's side of the pair is: the thread the question was asked in, the message's own thread
 * (Slack answers mentions there), the whole chat (Teams chats and the console have no threads), or a new
 * request card the relay posts (Slack DMs and slash commands, and any thread that already belongs to an
 * incident's alert post or another request, so that one thread never carries two conversations).
 */
async function askerSide(ctx: CustomerContext, card: Reply): Promise<{ side: SideSpec; inline: boolean }> {
  const conv: ConversationRef = ctx.conversation;
  const thread =
    conv.threadId ?? (conv.platform === 'slack' && conv.kind !== 'personal' ? (ctx.messageId ?? null) : null);
  const rootPost = { side: { conversation: conv, threadId: null, root: card }, inline: false };
  if (thread !== null) {
    // The asker's own message cannot be an alert post; any other thread of an alert channel may be one.
    const bound =
      thread !== ctx.messageId &&
      conv.kind === 'channel' &&
      (await ctx.store.listBindings(ctx.customer.id)).some((b) => b.conversation.id === conv.id);
    const paired = ctx.relay !== undefined && (await ctx.relay.store.findByThread(conv.id, thread)) !== null;
    return bound || paired ? rootPost : { side: { conversation: conv, threadId: thread }, inline: true };
  }
  if (conv.platform !== 'slack' && conv.kind !== 'channel')
    return { side: { conversation: conv, threadId: null, wholeConversation: true }, inline: true };
  return rootPost;
}

/** How a question is named in choices and acknowledgements: its id and the start of its text. */
export const questionTitle = (q: Question): string => {
  const words = q.text.replace(/\s+/g, ' ').trim();
  return `${q.id} · ${words.length > 40 ? `${words.slice(0, 39).trimEnd()}…` : words}`;
};

/** The clear answer when the quarter's allocation is used up: how many, when it renews, where to go. */
function allocationUsedUp(ctx: CustomerContext, used: number, allocation: Allocation | null): Reply {
  const renews = allocation === null ? '' : ` It renews on ${allocation.to.slice(0, 10)}.`;
  const limit = allocation?.limit ?? used;
  return notice(
    'Question allocation used up',
    `${ctx.customer.name} has used all ${limit} questions of this quarter (${used} asked), so nothing was sent.${renews} Your SDM can tell you more; for an active attack, contact your incident-response provider or Microsoft Incident Response at once.`,
  );
}

/** What a question became: the answer, and the request it made (null when refused: nothing was sent). */
export interface AskOutcome {
  readonly replies: readonly Reply[];
  readonly question: Question | null;
  /** The same question sent again within minutes: the earlier request, nothing new. */
  readonly again: boolean;
}

const refused = (reply: Reply): AskOutcome => ({ replies: [reply], question: null, again: false });

/** Turns a question into a request: checks, allocation, store, the queue card and the paired threads. */
export async function askExperts(ctx: CustomerContext, input: AskInput): Promise<readonly Reply[]> {
  return (await submitQuestion(ctx, input)).replies;
}

/** askExperts, also saying which request was made (the form drawn in place names it on its source card). */
export async function submitQuestion(ctx: CustomerContext, input: AskInput): Promise<AskOutcome> {
  const relay = ctx.relay;
  const desk = ctx.questions;
  if (relay === undefined || desk === undefined || desk.queue === null) return refused(UNAVAILABLE);
  const text = input.text.trim();
  if (text === '')
    return refused(
      notice('Nothing to send', 'Type your question, e.g. "ask is this sign-in from Lagos expected?".'),
    );
  if (text.length > QUESTION_LIMITS.text)
    return refused(
      notice(
        'Question too long',
        `Please keep it under ${QUESTION_LIMITS.text} characters. Nothing was sent.`,
      ),
    );
  if (input.context !== null && input.context.length > QUESTION_LIMITS.context)
    return refused(
      notice(
        'Context too long',
        `Please keep it under ${QUESTION_LIMITS.context} characters. Nothing was sent.`,
      ),
    );
  const incident =
    input.incidentId === null ? null : await ctx.store.getIncident(ctx.customer.id, input.incidentId);
  if (input.incidentId !== null && incident === null)
    return refused(
      notice('Incident not found', `There is no incident ${input.incidentId} for ${ctx.customer.name}.`),
    );

  const now = ctx.clock.now();
  const at = now.toISOString();
  const allocation = allocationFor(ctx.customer.questionsPerQuarter, now);

  // A double click or a resend of the same form is one request: the same person, incident and text within a
  // few minutes find the request already created (the platforms give each click its own id). Nothing is
  // claimed before the work: a turn that failed after creating the request is finished by its retry.
  const fingerprint = createHash('sha256')
    .update(JSON.stringify([input.topic, incident?.id ?? null, text, input.context]))
    .digest('hex')
    .slice(0, 32);
  const resend = {
    key: `${ctx.actor.qualifiedId}:${fingerprint}`,
    since: new Date(now.getTime() - RESEND_WINDOW_SECONDS * 1000).toISOString(),
  };

  let created: Question | null = null;
  let again = false;
  for (let attempt = 0; attempt < 3 && created === null; attempt += 1) {
    const question: Question = {
      id: newQuestionId(),
      customerId: ctx.customer.id,
      askerId: ctx.actor.qualifiedId,
      askerName: ctx.actor.principal.displayName,
      topic: input.topic,
      text,
      context: input.context?.trim() || null,
      incidentId: incident?.id ?? null,
      state: 'open',
      claimedBy: null,
      claimedByName: null,
      createdAt: at,
      firstResponseAt: null,
      resolvedAt: null,
      resolvedBy: null,
      reopenCount: 0,
      lastActivityAt: at,
    };
    const result = await desk.store.create(question, allocation, resend).catch((error: unknown) => {
      // An id collision (any backend's unique-key error): draw another id; a lasting failure throws below.
      if (attempt < 2) return null;
      throw error;
    });
    if (result === null) continue;
    if (!result.ok) return refused(allocationUsedUp(ctx, result.used, allocation));
    created = result.question;
    again = result.existing === true;
  }
  if (created === null) throw new Error('could not allocate a question id');

  const conv = ctx.conversation;
  const unthreaded = conv.platform !== 'slack' && conv.kind !== 'channel' && conv.threadId === null;
  const request = cardReply(questionRequestCard({ question: created, now, unthreaded }));
  const queueCard = cardReply(
    questionQueueCard({ question: created, customerName: ctx.customer.name, incident, now }),
  );
  const { side, inline } = await askerSide(ctx, request);
  // Idempotent on the question id: for a request sent again this finishes what a failed turn left undone.
  await relay.openPair({
    kind: 'question',
    customerId: ctx.customer.id,
    subjectId: created.id,
    customer: side,
    provider: { conversation: desk.queue, threadId: null, root: queueCard },
    providerLabel: 'Defender Experts',
    title: questionTitle(created),
  });
  const question = created;
  if (again)
    return {
      question,
      again,
      replies: [
        notice(
          'Already sent',
          `You sent this question a moment ago (${created.id}); it is in your "questions" list.`,
          'info',
        ),
      ],
    };
  if (inline) return { question, again, replies: [request] };
  return {
    question,
    again,
    replies: [
      textReply(`Question ${created.id} was sent to Defender Experts. Follow it in the thread of its card.`),
    ],
  };
}

/** The form behind "Ask Defender Experts" (incident and alert cards); the incident must be the caller's. */
export async function showAskForm(
  ctx: CustomerContext,
  incidentId: string | null,
  from?: AskSource,
): Promise<readonly Reply[]> {
  const incident = incidentId === null ? null : await ctx.store.getIncident(ctx.customer.id, incidentId);
  if (incidentId !== null && incident === null)
    return [notice('Incident not found', `There is no incident ${incidentId} for ${ctx.customer.name}.`)];
  return [cardReply(askFormCard(from === undefined ? { incident } : { incident, from }))];
}
