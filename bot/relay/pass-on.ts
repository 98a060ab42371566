import { relayMessageCard } from '../../cards/index.js';
import type { Actor } from '../domain/actor.js';
import type { ConversationRef } from '../domain/conversation.js';
import type { Customer, Directory } from '../domain/customer.js';
import type { InboundMessage, Reply, Store } from '../ports.js';
import { cardReply, textReply } from '../replies.js';
import type { Relay } from './relay.js';
import type { RelayDraft } from './relay-ports.js';
import { otherSide, type RelayPair, type RelaySideName } from './types.js';

// Passing one person's message (or its edit or deletion) on to the other side of a pair: who may, how the
// copy is labelled, and the durable queue item. Shared by the inbound step and the explicit "Send to" choice.

export interface InboundDeps {
  readonly relay: Relay;
  readonly store: Store;
  readonly directory: Directory;
  /** The experts' queue, where handoff threads are opened; null when none is reachable. */
  readonly queue: ConversationRef | null;
}

export interface InboundCaller {
  readonly actor: Actor;
  readonly customer: Customer | null;
  readonly conversation: ConversationRef;
}

export type MessageWithId = InboundMessage & { readonly messageId: string };

export const ATTACHMENTS_NOT_RELAYED =
  'Attachments are not passed on: the other side sees only your text. Describe the file or paste the relevant part.';

/**
 * The one rule for who may post on a side, parameterised by the provider's check: on the customer side the
 * pair's customer's people; on the provider side whoever `provider` accepts (experts by default; SDM kinds
 * pass their own check).
 */
export function authorizeSide(
  pair: RelayPair,
  from: RelaySideName,
  actor: Actor,
  provider: (actor: Actor, pair: RelayPair) => boolean,
  providerRefusal: string,
): Reply | null {
  if (from === 'customer')
    return actor.customerId === pair.customerId
      ? null
      : textReply(
          'Only people of the customer in this conversation can reply here; your message was not passed on.',
        );
  return provider(actor, pair) ? null : textReply(providerRefusal);
}

/** Who may post on a side when a kind registered no rule: the pair's customer; the provider's experts/SDMs. */
export function defaultRelayAuthorize(pair: RelayPair, from: RelaySideName, actor: Actor): Reply | null {
  const role = pair.kind === 'sdm' || pair.kind === 'escalation' ? 'sdm' : 'expert';
  return authorizeSide(
    pair,
    from,
    actor,
    (a) => a.roles.has(role),
    'Only the provider’s people on this request can answer here; your message was not passed on.',
  );
}

/** The refusal for this sender on this side, or null (the kind's own rule, else the default). */
export const refusalFor = (relay: Relay, pair: RelayPair, from: RelaySideName, actor: Actor): Reply | null =>
  (relay.hooksFor(pair.kind).authorize ?? defaultRelayAuthorize)(pair, from, actor);

function label(pair: RelayPair, from: RelaySideName, caller: InboundCaller): string {
  if (from === 'provider') return pair.providerLabel;
  const name = caller.customer?.name ?? pair.customerId;
  return `${name} · ${caller.actor.principal.displayName}`;
}

/** The queue key of a person's message: the same message relayed twice is one item. */
export const sourceKey = (conversationId: string, messageId: string): string =>
  `in:${conversationId}:${messageId}`;

/** Builds the queue item for one person's message, edit or deletion. */
function draftFor(
  relay: Relay,
  pair: RelayPair,
  from: RelaySideName,
  caller: InboundCaller,
  input: MessageWithId,
): RelayDraft {
  const now = relay.clock.now();
  const sent = input.sentAt === undefined ? Number.NaN : Date.parse(input.sentAt);
  const sourceAt = new Date(Number.isNaN(sent) ? now.getTime() : sent).toISOString();
  const change = input.change ?? 'new';
  const note = input.attachmentCount > 0 ? 'Attachments were not passed on' : undefined;
  const card = relayMessageCard({
    from: label(pair, from, caller),
    text: input.text,
    change: change === 'deleted' ? 'removed' : change === 'edited' ? 'edited' : 'new',
    ...(note ? { note } : {}),
    ...(pair.title === '' ? {} : { about: pair.title }),
  });
  const key = sourceKey(caller.conversation.id, input.messageId);
  return {
    pairId: pair.id,
    dedupKey: change === 'new' ? key : change === 'deleted' ? `${key}:deleted` : `${key}:edit:${sourceAt}`,
    to: otherSide(from),
    op: change === 'new' ? 'post' : change === 'deleted' ? 'delete' : 'edit',
    sourceId: input.messageId,
    sourceAt,
    message: cardReply(card),
    notBefore: new Date(now.getTime() + relay.settleMs).toISOString(),
  };
}

/** Who is on the other side of the pair: the provider's label, or the customer's name. */
export const otherPartyOf = (pair: RelayPair, from: RelaySideName, directory: Directory): string =>
  from === 'customer'
    ? pair.providerLabel
    : (directory.customers.find((c) => c.id === pair.customerId)?.name ?? pair.customerId);

/** Who a message went to, for the sender in a chat without threads ("Passed on to …"). */
export function destinationOf(pair: RelayPair, from: RelaySideName, directory: Directory): string {
  const to = otherPartyOf(pair, from, directory);
  return pair.title === '' ? to : `${to} (${pair.title})`;
}

/** Relays one message in a pair (authorised first). Returns the replies for the sender. */
export async function relayInPair(
  deps: InboundDeps,
  pair: RelayPair,
  from: RelaySideName,
  caller: InboundCaller,
  input: MessageWithId,
): Promise<readonly Reply[]> {
  const hooks = deps.relay.hooksFor(pair.kind);
  const refused = refusalFor(deps.relay, pair, from, caller.actor);
  if (refused !== null) return input.change === undefined ? [refused] : [];
  const extra: Reply[] =
    input.attachmentCount > 0 && input.change === undefined ? [textReply(ATTACHMENTS_NOT_RELAYED)] : [];
  // A message of only attachments has nothing to relay.
  if (input.change === undefined && input.text.trim() === '') return extra;
  const added = await deps.relay.enqueue([draftFor(deps.relay, pair, from, caller, input)]);
  if (added === 0) return []; // the same message again (a retry, or Slack's mention + message events)
  // Whoever writes in a thread has seen it: their own message does not make it unread for them.
  await deps.relay.store.markRead(caller.actor.qualifiedId, [pair.id], deps.relay.clock.now().toISOString());
  if (input.change !== undefined || hooks.relayed === undefined) return extra;
  return [...extra, ...(await hooks.relayed(pair, from, caller.actor, deps.relay.clock.now()))];
}
