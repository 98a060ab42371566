import { handoffQueueCard } from '../../cards/index.js';
import type { ChannelBinding } from '../domain/conversation.js';
import type { Customer } from '../domain/customer.js';
import { cardReply } from '../replies.js';
import type { InboundDeps } from './relay-inbound.js';
import type { RelayPair } from './types.js';

// Handoff threads: the alert pipeline posts one card per (binding, incident) and records it
// (Store.getIncidentPost). The first reply under such a post opens the incident's handoff pair, whose
// provider side is a new card in the experts' queue; later replies find the pair directly.

/** How many of the customer's newest incidents are checked for the post a thread hangs under. */
const SCAN_LIMIT = 200;

/** Threads found not to hang under an alert post, until when (a per-process cache, bounded). */
const notAlertThreads = new Map<string, number>();
const NEGATIVE_TTL_MS = 600_000;
const NEGATIVE_MAX = 5_000;

/** The incident whose alert post in this channel is `threadId`, or null (not an alert thread). */
async function incidentOfPost(deps: InboundDeps, binding: ChannelBinding, threadId: string) {
  const page = await deps.store.listIncidents({
    customerId: binding.customerId,
    view: 'all',
    severity: null,
    limit: SCAN_LIMIT,
    offset: 0,
  });
  for (const incident of page.items) {
    const post = await deps.store.getIncidentPost(binding.id, incident.id);
    if (post !== null && post.messageId === threadId) return incident;
  }
  return null;
}

/** Opens (or finds) the handoff pair for the alert post `threadId` of this binding; null if it is none. */
export async function openHandoffPair(
  deps: InboundDeps,
  customer: Customer,
  binding: ChannelBinding,
  threadId: string,
): Promise<RelayPair | null> {
  if (deps.queue === null) return null;
  // Threads that are not under an alert post (a check-in, a report, a discussion) are scanned at most once in
  // ten minutes per process, not for every message; a found handoff opens its pair, found directly after that.
  const key = `${binding.id}\u0000${threadId}`;
  const now = deps.relay.clock.now().getTime();
  if ((notAlertThreads.get(key) ?? 0) > now) return null;
  const incident = await incidentOfPost(deps, binding, threadId);
  if (incident === null) {
    if (notAlertThreads.size >= NEGATIVE_MAX) notAlertThreads.clear();
    notAlertThreads.set(key, now + NEGATIVE_TTL_MS);
    return null;
  }
  const subjectId = `${binding.id}:${incident.id}`;
  const existing = await deps.relay.findPair('handoff', customer.id, subjectId);
  if (existing !== null) return existing;
  const card = handoffQueueCard({ customerName: customer.name, incident, now: deps.relay.clock.now() });
  return deps.relay.openPair({
    kind: 'handoff',
    customerId: customer.id,
    subjectId,
    customer: { conversation: binding.conversation, threadId },
    provider: { conversation: deps.queue, threadId: null, root: cardReply(card) },
    providerLabel: 'Defender Experts',
    title: `incident #${incident.id}`,
  });
}
