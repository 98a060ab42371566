import { handoffQueueCard } from '../../cards/index.js';
import type { Customer } from '../domain/customer.js';
import { ANSWER_LABELS, type UserCheck } from '../domain/user-check.js';
import type { Reply } from '../ports.js';
import { cardReply } from '../replies.js';
import type { UserCheckDeps } from './deps.js';

// Where a question's news goes: the answer into the incident's comments (once, even across a crash), a line
// into the alert card's thread and its experts' queue thread (the relay's handoff pair for that post), and a
// direct message to the requester or the customer's responders.

/** The marker that names one question in the incident's comments: found again before a retry posts twice. */
export const commentMarker = (check: Pick<UserCheck, 'id'>): string => `[Was this you? ${check.id}]`;

const platformName = (p: UserCheck['platform']): string =>
  p === 'teams' ? 'Microsoft Teams' : p === 'slack' ? 'Slack' : 'the dev console';

/** The comment written to the incident: who answered, what, when, what they were asked and who asked. */
export function commentText(check: UserCheck): string {
  const answer = check.answer === null ? 'no answer' : ANSWER_LABELS[check.answer];
  const note = check.note === null ? '' : ` Their note: "${check.note.replace(/\s+/g, ' ').trim()}".`;
  return (
    `${commentMarker(check)} ${check.upn} answered "${answer}" at ${check.answeredAt ?? ''} ` +
    `in ${platformName(check.platform)} (identity checked by the bot). Asked by ${check.requester.name} ` +
    `at ${check.createdAt} about: ${check.seen}.${note}`
  );
}

/**
 * Writes the answer's comment. An attempt is counted before the POST: after a crash or an unclear failure
 * the next try first looks for the marker on the incident and posts only when it is not there.
 */
export async function writeComment(deps: UserCheckDeps, customer: Customer, check: UserCheck): Promise<void> {
  if (deps.writer === null) return;
  try {
    if (check.commentAttempts > 0) {
      const incident = await deps.source.getIncident(customer, check.incidentId);
      if (incident?.comments.some((c) => c.comment.includes(commentMarker(check))) === true) {
        await deps.checks.markCommented(customer.id, check.id, true);
        return;
      }
    }
    await deps.checks.markCommented(customer.id, check.id, false);
    await deps.writer.addComment(customer, check.incidentId, commentText(check));
    await deps.checks.markCommented(customer.id, check.id, true);
  } catch (error) {
    deps.logger.warn(
      { err: error, customer: customer.id, incidentId: check.incidentId, check: check.id },
      'user check comment not written yet',
    );
  }
}

/**
 * Says `message` under every alert post of the incident and in the experts' thread paired with it (opened
 * now if nobody replied there yet). Returns how many alert threads it reached; 0 without alert posts.
 */
export async function sayInThreads(
  deps: UserCheckDeps,
  customer: Customer,
  check: UserCheck,
  message: Reply,
  dedupKey: string,
): Promise<number> {
  const relay = deps.relay;
  if (relay === undefined) return 0;
  const incident = await deps.store.getIncident(customer.id, check.incidentId);
  if (incident === null) return 0;
  let reached = 0;
  for (const binding of await deps.store.listBindings(customer.id)) {
    const post = await deps.store.getIncidentPost(binding.id, check.incidentId);
    if (post === null || binding.paused) continue;
    const subjectId = `${binding.id}:${incident.id}`;
    const queue = deps.queue ?? null;
    const pair =
      (await relay.findPair('handoff', customer.id, subjectId)) ??
      (queue === null
        ? null
        : await relay.openPair({
            kind: 'handoff',
            customerId: customer.id,
            subjectId,
            customer: { conversation: binding.conversation, threadId: post.messageId },
            provider: {
              conversation: queue,
              threadId: null,
              root: cardReply(
                handoffQueueCard({ customerName: customer.name, incident, now: deps.clock.now() }),
              ),
            },
            providerLabel: 'Defender Experts',
            title: `incident #${incident.id}`,
          }));
    if (pair === null) continue;
    await relay.say(pair.id, 'customer', message, `usercheck:${dedupKey}:c`);
    await relay.say(pair.id, 'provider', message, `usercheck:${dedupKey}:p`);
    reached += 1;
  }
  return reached;
}

/** A direct message to whoever asked; a failure is logged (the threads carry the news too). */
export async function tellRequester(deps: UserCheckDeps, check: UserCheck, message: Reply): Promise<boolean> {
  const r = check.requester;
  const chat = deps.chatFor(r.platform);
  if (chat === undefined) return false;
  try {
    const to = r.direct ?? (await chat.directConversation?.(r.workspace, r.userId)) ?? null;
    if (to === null) return false;
    await chat.post(to, { ...message, ephemeral: false });
    return true;
  } catch (error) {
    deps.logger.warn({ err: error, check: check.id }, 'user check: the requester was not told');
    return false;
  }
}

/** A direct message to each of the customer's responders and admins on the question's platform. */
export async function tellResponders(
  deps: UserCheckDeps,
  customer: Customer,
  check: UserCheck,
  message: Reply,
): Promise<number> {
  const reach = deps.reachFor(check.platform);
  const chat = deps.chatFor(check.platform);
  if (reach === undefined || chat === undefined) return 0;
  const prefix = `${check.platform}:`;
  const people = new Set(
    [...customer.responders, ...customer.admins]
      .filter((q) => q.startsWith(prefix))
      .map((q) => q.slice(prefix.length)),
  );
  people.delete(check.requester.platform === check.platform ? check.requester.userId : '');
  let told = 0;
  for (const userId of people) {
    try {
      const dm = await reach.dm(customer, userId, check.requester.direct);
      if (dm === null) continue;
      await chat.post(dm, message);
      told += 1;
    } catch (error) {
      deps.logger.warn({ err: error, check: check.id }, 'user check: a responder was not told');
    }
  }
  return told;
}
