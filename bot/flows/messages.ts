import { messagesCard } from '../../cards/builders/messages.js';
import { noticeCard } from '../../cards/index.js';
import { listThreads, type MessagesFilter } from '../messages/history.js';
import type { Reply } from '../ports.js';
import { cardReply } from '../replies.js';
import { sdmCustomers } from '../sdm/deps.js';
import type { FlowContext } from './context.js';

// `messages [7d|30d|open]`: the conversation history — managed-response threads and Ask Defender Experts
// requests — with unread-by-you and a CSV export. A customer's people see only their customer's threads;
// the experts see every customer's; an SDM who is not an expert sees the customers they manage.

const notice = (title: string, text: string): readonly Reply[] => [
  cardReply(noticeCard({ title, text, tone: 'warning' })),
];

/** Whose threads this caller may see: customer ids, null for every customer, or a refusal. */
function scopeOf(ctx: FlowContext): readonly string[] | null | 'none' {
  if (ctx.customer !== null) return [ctx.customer.id];
  if (ctx.actor.roles.has('expert')) return null;
  const mine = sdmCustomers(ctx.actor, ctx.directory).map((c) => c.id);
  return mine.length > 0 ? mine : 'none';
}

async function rowsFor(ctx: FlowContext, filter: MessagesFilter) {
  const scope = scopeOf(ctx);
  if (scope === 'none' || ctx.relay === undefined) return null;
  const listed = await listThreads(
    { relay: ctx.relay.store, questions: ctx.questions?.store, store: ctx.store, directory: ctx.directory },
    { customerIds: scope, filter, reader: ctx.actor.qualifiedId, now: ctx.clock.now() },
  );
  return { scope, ...listed };
}

/** Answers `messages` (and its card buttons). */
export async function showMessages(
  ctx: FlowContext,
  filter: MessagesFilter,
  mode: Reply['mode'],
): Promise<readonly Reply[]> {
  if (ctx.relay === undefined)
    return notice(
      'Not available',
      'This bot was started without the relay, so there are no message threads.',
    );
  const listed = await rowsFor(ctx, filter);
  if (listed === null)
    return notice(
      'For customers, experts and SDMs',
      'Messages lists a customer’s managed-response threads and Ask Defender Experts requests. Link this workspace to a customer to see yours.',
    );
  const now = ctx.clock.now();
  const scopeKey = listed.scope === null ? 'all' : listed.scope.join(',');
  const csvUrl =
    ctx.sdm?.links.messagesCsv(scopeKey, filter, ctx.actor.qualifiedId, ctx.conversation.platform, now) ??
    null;
  const card = messagesCard({
    rows: listed.rows,
    more: listed.more,
    filter,
    acrossCustomers: ctx.customer === null,
    csvUrl,
    allowHttp: ctx.conversation.platform === 'web',
    now,
  });
  return [cardReply(card, mode)];
}

/** "Mark all as read": every thread the view lists is marked seen by this caller now, then shown again. */
export async function markMessagesRead(ctx: FlowContext, filter: MessagesFilter): Promise<readonly Reply[]> {
  const listed = await rowsFor(ctx, filter);
  if (listed !== null && ctx.relay !== undefined)
    await ctx.relay.store.markRead(
      ctx.actor.qualifiedId,
      listed.rows.filter((r) => r.unread).map((r) => r.pairId),
      ctx.clock.now().toISOString(),
    );
  return showMessages(ctx, filter, 'replace');
}
