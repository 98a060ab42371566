import { relayChoiceCard, relayPassedCard } from '../../cards/index.js';
import { parseCommand } from '../commands/parse.js';
import { commandIntent } from '../commands/phrasing.js';
import type { ConversationRef } from '../domain/conversation.js';
import type { Reply } from '../ports.js';
import { cardReply, textReply } from '../replies.js';
import { commandWordOf } from './command-words.js';
import {
  destinationOf,
  type InboundCaller,
  type InboundDeps,
  type MessageWithId,
  otherPartyOf,
  refusalFor,
  relayInPair,
  sourceKey,
} from './pass-on.js';
import type { RelayPair, RelaySideName } from './types.js';
import { UNDO_WINDOW_MS } from './undo-window.js';

// Conversations without threads (Teams personal chats, the dev console) can carry several pairs at once: an
// SDM's chat with all of her customers, a customer's chat with two questions and an escalation. Plain text
// goes to a pair only when exactly one is open there for this sender; otherwise the sender picks, with one
// "Send to …" button per pair. Nothing is ever routed by "most recently active". Commands stay commands.

/** How many pairs of one conversation are considered (newest activity first). */
const CANDIDATES = 25;
/** How many choices one card offers. */
const MAX_CHOICES = 6;
/** Kinds without their own open/closed state count as open while active this recently. */
const DEFAULT_OPEN_MS = 30 * 86_400_000;

type Entry = { readonly pair: RelayPair; readonly side: RelaySideName };

/** Which side of the pair is this conversation without threads, if any. */
export function wholeSideIn(pair: RelayPair, conversationId: string): RelaySideName | null {
  if (pair.customer.wholeConversation && pair.customer.conversation.id === conversationId) return 'customer';
  if (pair.provider.wholeConversation && pair.provider.conversation.id === conversationId) return 'provider';
  return null;
}

/**
 * Which side of the pair is this chat's top level: a side without threads, or, in a direct-message chat, a
 * side whose request has its own thread there (a Slack DM: the top level still reaches the one open request).
 */
export function chatSideIn(pair: RelayPair, conversation: ConversationRef): RelaySideName | null {
  const whole = wholeSideIn(pair, conversation.id);
  if (whole !== null || conversation.kind !== 'personal') return whole;
  if (pair.customer.conversation.id === conversation.id) return 'customer';
  if (pair.provider.conversation.id === conversation.id) return 'provider';
  return null;
}

/** The pairs this chat's top level can reach (see chatSideIn). */
const candidatesIn = (deps: InboundDeps, conversation: ConversationRef) =>
  conversation.kind === 'personal'
    ? deps.relay.store.listInChat(conversation.id, CANDIDATES)
    : deps.relay.store.listWhole(conversation.id, CANDIDATES);

async function isOpen(deps: InboundDeps, pair: RelayPair): Promise<boolean> {
  const now = deps.relay.clock.now();
  const hook = deps.relay.hooksFor(pair.kind).isOpen;
  if (hook !== undefined) return hook(pair, now);
  return now.getTime() - Date.parse(pair.lastActivityAt) <= DEFAULT_OPEN_MS;
}

/** Keeps the message as its sender wrote it, and when: for a choice still to make, or an Undo still possible. */
async function hold(deps: InboundDeps, caller: InboundCaller, input: MessageWithId): Promise<void> {
  await deps.relay.store.hold({
    conversationId: caller.conversation.id,
    sourceId: input.messageId,
    author: caller.actor.qualifiedId,
    text: input.text,
    heldAt: deps.relay.clock.now().toISOString(),
  });
}

/** Holds the message and offers one button per pair; nothing is relayed until the sender picks. */
async function choice(
  deps: InboundDeps,
  caller: InboundCaller,
  title: string,
  entries: readonly Entry[],
  input: MessageWithId,
): Promise<Reply> {
  await hold(deps, caller, input);
  return cardReply(
    relayChoiceCard({
      title,
      text: input.text,
      sourceId: input.messageId,
      choices: entries.slice(0, MAX_CHOICES).map((e) => ({
        pairId: e.pair.id,
        who: otherPartyOf(e.pair, e.side, deps.directory),
        about: e.pair.title,
        // Only ids people know name a button: a question's Q-id, a handoff's incident number.
        ...(e.pair.kind === 'question'
          ? { ref: e.pair.subjectId }
          : e.pair.kind === 'handoff'
            ? { ref: `incident ${e.pair.subjectId.split(':').pop() ?? ''}` }
            : {}),
      })),
    }),
  );
}

/** An edit or deletion: only of a message that was relayed, and only into the pair it went to. */
async function relayChange(
  deps: InboundDeps,
  caller: InboundCaller,
  input: MessageWithId,
  entries: readonly Entry[],
): Promise<readonly Reply[]> {
  const pairId = await deps.relay.store.pairOfItem(sourceKey(caller.conversation.id, input.messageId));
  const pair =
    pairId === null
      ? null
      : (entries.find((e) => e.pair.id === pairId)?.pair ?? (await deps.relay.store.getPair(pairId)));
  const side = pair === null ? null : chatSideIn(pair, caller.conversation);
  if (pair !== null && side !== null) return relayInPair(deps, pair, side, caller, input);
  // Still waiting for its sender's choice: the choice sends the latest version. Otherwise never relayed.
  const held = await deps.relay.store.getHeld(caller.conversation.id, input.messageId);
  if (held !== null && held.author === caller.actor.qualifiedId)
    await deps.relay.store.hold({
      ...held,
      text: input.change === 'deleted' ? '' : input.text,
      heldAt: deps.relay.clock.now().toISOString(),
    });
  return [];
}

/**
 * The relay step for a message in a conversation without threads. Null: not the relay's (a command, or no
 * pair here for this sender); otherwise the replies for the sender.
 */
export async function relayWhole(
  deps: InboundDeps,
  caller: InboundCaller,
  input: MessageWithId,
): Promise<readonly Reply[] | null> {
  const all = await candidatesIn(deps, caller.conversation);
  if (all.length === 0) return null;
  if (input.change !== undefined) return relayChange(deps, caller, input, all);
  if (input.addressed === false) return null;
  // Commands and the documented phrasings are answered whatever is open here; only prose is for a person.
  if (commandIntent(input.text) !== null) return null;
  const mine = all.filter((e) => refusalFor(deps.relay, e.pair, e.side, caller.actor) === null);
  if (mine.length === 0) return null;
  const open: Entry[] = [];
  const closed: Entry[] = [];
  for (const e of mine) ((await isOpen(deps, e.pair)) ? open : closed).push(e);

  const word = commandWordOf(input.text);
  if (word !== null) {
    const parsed = parseCommand(input.text);
    if (word.exact && parsed.name !== 'unknown') return null; // a command: the caller runs it
    const said = parsed.name === 'unknown' ? parsed.hint : '';
    const hint =
      word.exact || said.includes('Did you mean') ? said : `Did you mean "${word.word}"? ${said}`.trim();
    // A command or a slip of one is never offered to a resolved request (that would reopen it by accident),
    // and "not passed on" is said only where something is open to pass it to.
    if (open.length === 0) return [textReply(hint)];
    return [
      textReply(`${hint} This looked like a command, so it was not passed on.`),
      await choice(deps, caller, 'Or send it as a message to:', open, input),
    ];
  }
  if (input.text.trim() === '' && input.attachmentCount === 0) return null;
  if (open.length === 1 && open[0] !== undefined) {
    const { pair, side } = open[0];
    const replies = await relayInPair(deps, pair, side, caller, input);
    const passed = await deps.relay.store.pairOfItem(sourceKey(caller.conversation.id, input.messageId));
    if (passed !== pair.id) return replies;
    // Who sent it and when: Undo is for its sender only, for a short while.
    await hold(deps, caller, input);
    const ack = relayPassedCard({
      where: destinationOf(pair, side, deps.directory),
      pairId: pair.id,
      sourceId: input.messageId,
      undoMinutes: UNDO_WINDOW_MS / 60_000,
    });
    return [...replies, cardReply(ack)];
  }
  if (open.length > 1)
    return [
      await choice(
        deps,
        caller,
        'You have several open conversations here. Which one is this for?',
        open,
        input,
      ),
    ];
  // Nothing open: a command in natural words runs; anything else is never sent silently to a closed request.
  if (parseCommand(input.text).name !== 'unknown') return null;
  return [
    await choice(
      deps,
      caller,
      'Not sent: your earlier requests here are resolved or inactive. To reopen one and send this, pick it:',
      closed,
      input,
    ),
  ];
}
