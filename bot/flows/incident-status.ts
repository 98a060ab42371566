import { awaitingSummaryCard, incidentListCard, noticeCard } from '../../cards/index.js';
import type { KnownSeverity } from '../domain/enums.js';
import type { IncidentView } from '../domain/incident.js';
import type { Reply } from '../ports.js';
import { cardReply } from '../replies.js';
import type { CustomerContext } from './context.js';
import { incidentDetailReply } from './guided-response.js';

// Incident status in chat (DESIGN §3.1): lists by view and severity, one incident in detail, and the
// "Defender Experts" summary. Every read is scoped to the caller's customer; an id of another customer
// finds nothing and is answered exactly like an id that does not exist.

export const PAGE_SIZE = 10;
const SUMMARY_TOP = 5;
const COMMENTS_SHOWN = 3;

export interface ListArgs {
  readonly view: IncidentView;
  readonly severity: KnownSeverity | null;
  readonly offset: number;
  readonly mode: Reply['mode'];
}

/** `incidents [view] [severity]` and the list card's paging and view buttons. */
export async function listIncidents(ctx: CustomerContext, args: ListArgs): Promise<readonly Reply[]> {
  const offset = Math.max(0, Math.floor(args.offset));
  const page = await ctx.store.listIncidents({
    customerId: ctx.customer.id,
    view: args.view,
    severity: args.severity,
    limit: PAGE_SIZE,
    offset,
  });
  const card = incidentListCard({
    customerName: ctx.customer.name,
    view: args.view,
    severity: args.severity,
    page,
    offset,
    pageSize: PAGE_SIZE,
    now: ctx.clock.now(),
  });
  return [cardReply(card, args.mode)];
}

/** `incident <id>`: the stored copy, or the source's when the poller has not mirrored it yet. */
export async function showIncident(
  ctx: CustomerContext,
  id: string,
  allComments: boolean,
  mode: Reply['mode'],
): Promise<readonly Reply[]> {
  const incident =
    (await ctx.store.getIncident(ctx.customer.id, id)) ?? (await ctx.source.getIncident(ctx.customer, id));
  if (incident === null || incident.customerId !== ctx.customer.id) {
    return [
      cardReply(
        noticeCard({
          title: 'Incident not found',
          text: `I can't find incident ${id} for ${ctx.customer.name}. Check the id, or send "incidents all" to list them.`,
          tone: 'warning',
        }),
      ),
    ];
  }
  const commentsShown = allComments ? incident.comments.length : COMMENTS_SHOWN;
  // The guided-response flow draws the card: the bot's records over the actions, this viewer's buttons.
  return [await incidentDetailReply(ctx, incident, commentsShown, mode)];
}

/** The "Defender Experts" summary: what awaits the customer, what the experts are on. */
export async function showSummary(ctx: CustomerContext): Promise<readonly Reply[]> {
  const [counts, awaiting] = await Promise.all([
    ctx.store.countByView(ctx.customer.id),
    ctx.store.listIncidents({
      customerId: ctx.customer.id,
      view: 'awaiting',
      severity: null,
      limit: SUMMARY_TOP,
      offset: 0,
    }),
  ]);
  return [
    cardReply(
      awaitingSummaryCard({
        customerName: ctx.customer.name,
        counts,
        awaiting: awaiting.items,
        now: ctx.clock.now(),
      }),
    ),
  ];
}
