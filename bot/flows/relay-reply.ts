import { noticeCard } from '../../cards/index.js';
import type { RelayReplyData } from '../../cards/question-verbs.js';
import type { Reply } from '../ports.js';
import { destinationOf, refusalFor, relayInPair, sourceKey } from '../relay/pass-on.js';
import { chatSideIn } from '../relay/whole-conversation.js';
import { cardReply } from '../replies.js';
import type { FlowContext } from './context.js';

// "Send to …" on the choice card (bot/relay/whole-conversation.ts): the sender named the pair, so the held
// message goes exactly there, even to a resolved question (which the question hooks then reopen). Only a side
// of the pair in this very conversation may be used, by someone the pair's rule admits; once per message.

const notice = (title: string, text: string, tone: 'info' | 'warning' = 'warning'): Reply =>
  cardReply(noticeCard({ title, text, tone }), 'replace');

/** Passes the chosen message on in the chosen pair; the choice card is replaced by what happened. */
export async function relayReply(ctx: FlowContext, d: RelayReplyData): Promise<readonly Reply[]> {
  const relay = ctx.relay;
  if (relay === undefined)
    return [notice('Not available', 'Passing messages on is not set up for this bot.')];
  const pair = await relay.store.getPair(d.pairId);
  const side = pair === null ? null : chatSideIn(pair, ctx.conversation);
  if (pair === null || side === null)
    return [notice('Not found', 'That request is not in this conversation any more. Nothing was sent.')];
  const refused = refusalFor(relay, pair, side, ctx.actor);
  if (refused !== null) return [refused];
  const found = await relay.store.getHeld(ctx.conversation.id, d.sourceId);
  // Only the person who wrote a message may send it on (a group chat has several people).
  const held = found?.author === ctx.actor.qualifiedId ? found : null;
  const text = held?.text.trim() ?? '';
  if (text === '')
    return [
      notice('Nothing to send', 'That message is no longer here (removed, or too old). Send it again.'),
    ];
  const messageId = d.sourceId;
  const where = destinationOf(pair, side, ctx.directory);
  const before = await relay.store.pairOfItem(sourceKey(ctx.conversation.id, messageId));
  if (before !== null) return [notice('Already passed on', 'This message was passed on already.', 'info')];
  const replies = await relayInPair(
    { relay, store: ctx.store, directory: ctx.directory, queue: ctx.questions?.queue ?? null },
    pair,
    side,
    { actor: ctx.actor, customer: ctx.customer, conversation: ctx.conversation },
    { kind: 'message', text, attachmentCount: 0, messageId, addressed: true },
  );
  return [notice('Passed on', `Passed on to ${where}.`, 'info'), ...replies];
}
