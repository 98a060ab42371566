import { randomInt } from 'node:crypto';
import { questionQueueCard } from '../../cards/index.js';
import type { Actor } from '../domain/actor.js';
import type { Directory } from '../domain/customer.js';
import type { Question } from '../domain/question.js';
import type { Clock, Logger, Reply, Store } from '../ports.js';
import { authorizeSide } from '../relay/pass-on.js';
import type { Relay } from '../relay/relay.js';
import type { RelayHooks, RelayPair, RelaySideName } from '../relay/types.js';
import { cardReply, textReply } from '../replies.js';
import type { Allocation, QuestionsStore } from './questions-ports.js';

// The question lifecycle around the relay: who may post in a question's threads, and what a relayed message
// changes (an expert's reply answers, a customer's follow-up reopens), with the queue card kept current.

const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/** A short id people can read out ("Q-7K2M9P"); the store's primary key catches the rare collision. */
export function newQuestionId(): string {
  let s = '';
  for (let i = 0; i < 6; i += 1) s += ALPHABET[randomInt(ALPHABET.length)];
  return `Q-${s}`;
}

/** The calendar quarter (UTC) that contains `now`: [from, to). */
export function quarterOf(now: Date): { readonly from: Date; readonly to: Date } {
  const y = now.getUTCFullYear();
  const q = Math.floor(now.getUTCMonth() / 3);
  return { from: new Date(Date.UTC(y, q * 3, 1)), to: new Date(Date.UTC(y, q * 3 + 3, 1)) };
}

/** The allocation in force for a customer now, or null when none is configured. */
export function allocationFor(limit: number | null | undefined, now: Date): Allocation | null {
  if (limit === null || limit === undefined) return null;
  const { from, to } = quarterOf(now);
  return { limit, from: from.toISOString(), to: to.toISOString() };
}

export interface QuestionHookDeps {
  readonly relay: Relay;
  readonly questions: QuestionsStore;
  readonly store: Store;
  readonly directory: Directory;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** Who may post on each side: people of the pair's customer; on the provider side, the experts. */
export const defaultAuthorize = (pair: RelayPair, from: RelaySideName, actor: Actor): Reply | null =>
  authorizeSide(
    pair,
    from,
    actor,
    (a) => a.roles.has('expert'),
    'Only Defender Experts analysts can answer in this thread; your message was not passed on.',
  );

/** Re-draws the queue card of a question after a change (one queue item per state version). */
export async function refreshQueueCard(deps: QuestionHookDeps, q: Question): Promise<void> {
  const pair = await deps.relay.findPair('question', q.customerId, q.id);
  if (pair === null) return;
  const customer = deps.directory.customers.find((c) => c.id === q.customerId);
  const incident = q.incidentId === null ? null : await deps.store.getIncident(q.customerId, q.incidentId);
  const card = questionQueueCard({
    question: q,
    customerName: customer?.name ?? q.customerId,
    incident,
    now: deps.clock.now(),
  });
  await deps.relay.updateRoot(pair.id, 'provider', cardReply(card), `${q.id}:${q.state}:${q.lastActivityAt}`);
}

/** What a relayed message does to its question. */
async function onRelayed(
  deps: QuestionHookDeps,
  pair: RelayPair,
  from: RelaySideName,
  actor: Actor,
  at: Date,
): Promise<readonly Reply[]> {
  const q = await deps.questions.get(pair.customerId, pair.subjectId);
  if (q === null) return [];
  const when = at.toISOString();
  let after: Question | null = null;
  const replies: Reply[] = [];
  if (from === 'provider' && (q.state === 'open' || q.state === 'claimed' || q.state === 'reopened')) {
    after = await deps.questions.transition(q.customerId, q.id, {
      from: [q.state],
      patch: {
        state: 'answered',
        firstResponseAt: q.firstResponseAt ?? when,
        claimedBy: q.claimedBy ?? actor.qualifiedId,
        claimedByName: q.claimedByName ?? actor.principal.displayName,
        lastActivityAt: when,
      },
    });
  } else if (from === 'customer' && q.state === 'resolved') {
    after = await deps.questions.transition(q.customerId, q.id, {
      from: ['resolved'],
      patch: {
        state: 'reopened',
        resolvedAt: null,
        resolvedBy: null,
        reopenCount: q.reopenCount + 1,
        lastActivityAt: when,
      },
    });
    if (after !== null)
      replies.push(textReply(`Question ${q.id} is open again: the experts see your follow-up.`));
  } else if (from === 'customer' && q.state === 'answered') {
    after = await deps.questions.transition(q.customerId, q.id, {
      from: ['answered'],
      patch: { state: q.claimedBy === null ? 'open' : 'claimed', lastActivityAt: when },
    });
  }
  if (after !== null) await refreshQueueCard(deps, after);
  return replies;
}

/** Registers the 'question' kind's behaviour on the relay ('handoff' uses the relay's default rule). */
export function registerQuestionHooks(deps: QuestionHookDeps): void {
  const question: RelayHooks = {
    authorize: defaultAuthorize,
    relayed: (pair, from, actor, at) => onRelayed(deps, pair, from, actor, at),
    // A resolved question is reopened only by an explicit choice, never by chat in a thread-less conversation.
    isOpen: async (pair) => {
      const q = await deps.questions.get(pair.customerId, pair.subjectId);
      return q !== null && q.state !== 'resolved';
    },
  };
  deps.relay.registerHooks('question', question);
}
