import { noticeCard } from '../../cards/index.js';
import type { RelayReplyData } from '../../cards/question-verbs.js';
import type { Reply } from '../ports.js';
import { destinationOf, relayInPair, sourceKey } from '../relay/pass-on.js';
import { UNDO_WINDOW_MS } from '../relay/undo-window.js';
import { chatSideIn } from '../relay/whole-conversation.js';
import { cardReply } from '../replies.js';
import type { FlowContext } from './context.js';

// Undo on "Passed on to …": plain text that went to the one open request without the sender choosing it may
// have been meant for the bot. For a short while its sender alone can withdraw it; the copy on the other side
// is replaced by "Message removed", the same as when the sender deletes it on a platform that relays that.

const notice = (title: string, text: string, tone: 'info' | 'warning' = 'warning'): Reply =>
  cardReply(noticeCard({ title, text, tone }), 'replace');

/** Withdraws the message; the acknowledgement is replaced by what happened. */
export async function relayUndo(ctx: FlowContext, d: RelayReplyData): Promise<readonly Reply[]> {
  const relay = ctx.relay;
  if (relay === undefined)
    return [notice('Not available', 'Passing messages on is not set up for this bot.')];
  const pair = await relay.store.getPair(d.pairId);
  const side = pair === null ? null : chatSideIn(pair, ctx.conversation);
  const key = sourceKey(ctx.conversation.id, d.sourceId);
  const held = await relay.store.getHeld(ctx.conversation.id, d.sourceId);
  // Only the sender, only a message passed on in this very conversation and into this pair.
  if (
    pair === null ||
    side === null ||
    held?.author !== ctx.actor.qualifiedId ||
    (await relay.store.pairOfItem(key)) !== pair.id
  )
    return [notice('Nothing to undo', 'Only the person who wrote a message can withdraw it, here.')];
  const where = destinationOf(pair, side, ctx.directory);
  const now = relay.clock.now();
  if (now.getTime() - Date.parse(held.heldAt) > UNDO_WINDOW_MS)
    return [
      notice(
        'Too late to undo',
        `Your message has been with ${where} for a while. Send a correction instead.`,
      ),
    ];
  const removed = await relayInPair(
    { relay, store: ctx.store, directory: ctx.directory, queue: ctx.questions?.queue ?? null },
    pair,
    side,
    { actor: ctx.actor, customer: ctx.customer, conversation: ctx.conversation },
    {
      kind: 'message',
      text: '',
      attachmentCount: 0,
      messageId: d.sourceId,
      addressed: true,
      change: 'deleted',
      sentAt: now.toISOString(),
    },
  );
  return [
    notice('Withdrawn', `Your message was withdrawn from ${where}. Nothing else changed.`, 'info'),
    ...removed,
  ];
}
