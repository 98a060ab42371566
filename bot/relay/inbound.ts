import { relayMessageCard } from '../../cards/index.js';
import { parseCommand } from '../commands/parse.js';
import type { Actor } from '../domain/actor.js';
import type { ConversationRef } from '../domain/conversation.js';
import type { Customer, Directory } from '../domain/customer.js';
import type { InboundMessage, Reply, Store } from '../ports.js';
import { cardReply, textReply } from '../replies.js';
import { openHandoffPair } from './handoff.js';
import type { RelayDraft } from './ports.js';
import type { Relay } from './relay.js';
import { otherSide, type RelayPair, type RelaySideName } from './types.js';

// The relay's inbound step, run by bot.ts for every message turn before any command parsing: a message in a
// paired thread is relayed (never a command); a reply under an alert's handoff post opens that incident's
// handoff pair; a top-level post in a channel bound for alerts gets the hint that the experts cannot see it.

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

const HINT_EVERY_MS = 3_600_000;
const HINT_RETAIN_SECONDS = 2 * 3600;

export const TOP_LEVEL_HINT =
  'Defender Experts only see replies in the threads of posts this bot made (an incident alert, a question). Reply in the incident’s thread, or say "ask <question>" to me, so they can see it.';
export const ATTACHMENTS_NOT_RELAYED =
  'Attachments are not passed on: the other side sees only your text. Describe the file or paste the relevant part.';

/** Who may post on a side when a kind registered no rule: the pair's customer; the provider's experts/SDMs. */
export function defaultRelayAuthorize(pair: RelayPair, from: RelaySideName, actor: Actor): Reply | null {
  if (from === 'customer') {
    return actor.customerId === pair.customerId
      ? null
      : textReply(
          'Only people of the customer in this conversation can reply here; your message was not passed on.',
        );
  }
  const role = pair.kind === 'sdm' || pair.kind === 'escalation' ? 'sdm' : 'expert';
  return actor.roles.has(role)
    ? null
    : textReply(
        'Only the provider’s people on this request can answer here; your message was not passed on.',
      );
}

function label(pair: RelayPair, from: RelaySideName, caller: InboundCaller): string {
  if (from === 'provider') return pair.providerLabel;
  const name = caller.customer?.name ?? pair.customerId;
  return `${name} · ${caller.actor.principal.displayName}`;
}

/** Builds the queue item for one person's message, edit or deletion. */
function draftFor(
  relay: Relay,
  pair: RelayPair,
  from: RelaySideName,
  caller: InboundCaller,
  input: InboundMessage & { readonly messageId: string },
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
  });
  const key = `in:${caller.conversation.id}:${input.messageId}`;
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

async function relayInPair(
  deps: InboundDeps,
  pair: RelayPair,
  from: RelaySideName,
  caller: InboundCaller,
  input: InboundMessage & { readonly messageId: string },
): Promise<readonly Reply[]> {
  const hooks = deps.relay.hooksFor(pair.kind);
  const refused = (hooks.authorize ?? defaultRelayAuthorize)(pair, from, caller.actor);
  if (refused !== null) return input.change === undefined ? [refused] : [];
  const extra: Reply[] =
    input.attachmentCount > 0 && input.change === undefined ? [textReply(ATTACHMENTS_NOT_RELAYED)] : [];
  // A message of only attachments has nothing to relay.
  if (input.change === undefined && input.text.trim() === '') return extra;
  const added = await deps.relay.enqueue([draftFor(deps.relay, pair, from, caller, input)]);
  if (added === 0) return []; // the same message again (a retry, or Slack's mention + message events)
  if (input.change !== undefined || hooks.relayed === undefined) return extra;
  return [...extra, ...(await hooks.relayed(pair, from, caller.actor, deps.relay.clock.now()))];
}

async function boundChannel(deps: InboundDeps, caller: InboundCaller) {
  if (caller.customer === null || caller.conversation.kind !== 'channel') return null;
  const bindings = await deps.store.listBindings(caller.customer.id);
  return bindings.find((b) => b.conversation.id === caller.conversation.id && !b.paused) ?? null;
}

/**
 * Relays the message if it belongs to a paired thread (or opens a handoff pair for it). Returns the replies
 * for the sender, or null when the relay has nothing to do with it and the caller goes on (commands).
 */
export async function relayInbound(
  deps: InboundDeps,
  caller: InboundCaller,
  input: InboundMessage,
): Promise<readonly Reply[] | null> {
  const messageId = input.messageId;
  if (messageId === undefined || !caller.actor.linked) return null;
  const withId = { ...input, messageId };
  const thread = caller.conversation.threadId;
  const found = await deps.relay.store.findByThread(caller.conversation.id, thread);
  if (found !== null) {
    // A conversation without threads (Teams chat, console) relays what is said to the bot and is not a command.
    const side = found.side === 'customer' ? found.pair.customer : found.pair.provider;
    if (
      side.wholeConversation &&
      input.change === undefined &&
      (input.addressed === false || parseCommand(input.text).name !== 'unknown')
    )
      return null;
    return relayInPair(deps, found.pair, found.side, caller, withId);
  }
  const binding = await boundChannel(deps, caller);
  if (binding === null || caller.customer === null) return null;
  if (thread !== null && thread !== messageId) {
    const pair = await openHandoffPair(deps, caller.customer, binding, thread);
    return pair === null ? null : relayInPair(deps, pair, 'customer', caller, withId);
  }
  if (input.addressed !== false || input.change !== undefined) return null;
  const bucket = Math.floor(deps.relay.clock.now().getTime() / HINT_EVERY_MS);
  const fresh = await deps.store.claimOnce(
    `relay:hint:${caller.conversation.id}:${bucket}`,
    HINT_RETAIN_SECONDS,
  );
  return fresh ? [textReply(TOP_LEVEL_HINT)] : [];
}
