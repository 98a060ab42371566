import { commandIntent } from '../commands/phrasing.js';
import type { InboundMessage, Reply } from '../ports.js';
import { textReply } from '../replies.js';
import { openHandoffPair } from './handoff.js';
import {
  type InboundCaller,
  type InboundDeps,
  type MessageWithId,
  relayInPair,
  sourceKey,
} from './pass-on.js';
import { relayWhole } from './whole-conversation.js';

// The relay's inbound step, run by bot.ts for every message turn before any command parsing: a message in a
// paired thread is relayed (never a command); in a conversation without threads, whole-conversation.ts
// decides (one open pair, or the sender picks); a reply under an alert's handoff post opens that incident's
// handoff pair; a top-level post in a channel bound for alerts gets the hint that the experts cannot see it.

export {
  ATTACHMENTS_NOT_RELAYED,
  defaultRelayAuthorize,
  type InboundCaller,
  type InboundDeps,
} from './pass-on.js';

/** Held text that marks a thread message as answered as a command (an empty hold has nothing to send). */
const COMMAND_MARK = '';
const HINT_EVERY_MS = 3_600_000;
const HINT_RETAIN_SECONDS = 2 * 3600;

export const TOP_LEVEL_HINT =
  'Defender Experts only see replies in the threads of posts this bot made (an incident alert, a question). Reply in the incident’s thread, or say "ask <question>" to me, so they can see it.';

async function boundChannel(deps: InboundDeps, caller: InboundCaller) {
  if (caller.customer === null || caller.conversation.kind !== 'channel') return null;
  const bindings = await deps.store.listBindings(caller.customer.id);
  return bindings.find((b) => b.conversation.id === caller.conversation.id && !b.paused) ?? null;
}

/**
 * A command said to the bot in a paired thread (a mention, or a direct-message thread) is answered, not
 * relayed; it is remembered so that its later edits are not relayed either.
 */
async function answeredAsCommand(
  deps: InboundDeps,
  caller: InboundCaller,
  input: MessageWithId,
): Promise<boolean> {
  const { store } = deps.relay;
  if (input.change !== undefined) {
    if ((await store.pairOfItem(sourceKey(caller.conversation.id, input.messageId))) !== null) return false;
    return (await store.getHeld(caller.conversation.id, input.messageId))?.text === COMMAND_MARK;
  }
  if (input.addressed === false || commandIntent(input.text) === null) return false;
  await store.hold({
    conversationId: caller.conversation.id,
    sourceId: input.messageId,
    author: caller.actor.qualifiedId,
    text: COMMAND_MARK,
    heldAt: deps.relay.clock.now().toISOString(),
  });
  return true;
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
  if (thread === null) {
    const whole = await relayWhole(deps, caller, withId);
    if (whole !== null) return whole;
  } else {
    const found = await deps.relay.store.findByThread(caller.conversation.id, thread);
    // The thread's root (the asker's own "ask …" message) is never relayed, so neither are its edits.
    if (found !== null && input.change !== undefined && messageId === thread) return [];
    if (found !== null && (await answeredAsCommand(deps, caller, withId))) return input.change ? [] : null;
    if (found !== null) return relayInPair(deps, found.pair, found.side, caller, withId);
    // A reply under a relayed message (its card's Reply) answers that message's request.
    const copy = await deps.relay.store.findByCopy(caller.conversation.id, thread);
    if (copy !== null) {
      if (await answeredAsCommand(deps, caller, withId)) return input.change ? [] : null;
      return relayInPair(deps, copy.pair, copy.side, caller, withId);
    }
    // A reply under any other post of a direct chat (a Slack DM thread under a bot card): the chat's own
    // rule decides, as for a top-level message.
    if (caller.conversation.kind === 'personal') {
      const top = { ...caller, conversation: { ...caller.conversation, threadId: null } };
      const whole = await relayWhole(deps, top, withId);
      if (whole !== null) return whole;
    }
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
