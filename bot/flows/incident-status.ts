import { awaitingSummaryCard, incidentDetailCard, incidentListCard, noticeCard } from '../../cards/index.js';
import type { KnownSeverity } from '../domain/enums.js';
import type { IncidentView } from '../domain/incident.js';
import type { IncidentPage, Reply } from '../ports.js';
import { cardReply } from '../replies.js';
import type { CustomerContext } from './context.js';
import { incidentDetailReply } from './guided-response.js';
import { findIncident } from './incident-lookup.js';

const LOOKUPS_LIMITED = cardReply(
  noticeCard({
    title: 'Please wait a minute',
    text: 'You have asked for several incidents I could not find. To keep your incident feed on time, I will look up new ids again in a minute. Send "incidents all" to list the ones I have.',
    tone: 'warning',
  }),
);

// Incident status in chat: lists by view and severity, one incident in detail, and the
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
  const urgent = args.view === 'awaiting';
  const page: IncidentPage = urgent
    ? await awaitingPage(ctx, args.severity, offset, PAGE_SIZE)
    : await ctx.store.listIncidents({
        customerId: ctx.customer.id,
        view: args.view,
        severity: args.severity,
        limit: PAGE_SIZE,
        offset,
      });
  const card = incidentListCard({
    sortedByUrgency: urgent,
    ...(page.waitingSince === undefined ? {} : { waitingSince: page.waitingSince }),
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
  /** The provider's side looking on: no buttons, which act as the customer. */
  readOnly = false,
): Promise<readonly Reply[]> {
  const incident = await findIncident(ctx, id);
  if (incident === 'limited') return [LOOKUPS_LIMITED];
  if (incident === null) {
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
  if (readOnly)
    return [cardReply(incidentDetailCard({ incident, commentsShown, now: ctx.clock.now(), readOnly }), mode)];
  return [await incidentDetailReply(ctx, incident, commentsShown, mode)];
}

/** The "Defender Experts" summary: what awaits the customer, what the experts are on. */
export async function showSummary(ctx: CustomerContext, readOnly = false): Promise<readonly Reply[]> {
  const [counts, awaiting] = await Promise.all([
    ctx.store.countByView(ctx.customer.id),
    awaitingPage(ctx, null, 0, SUMMARY_TOP),
  ]);
  return [
    cardReply(
      awaitingSummaryCard({
        customerName: ctx.customer.name,
        counts,
        awaiting: awaiting.items,
        waitingSince: awaiting.waitingSince,
        now: ctx.clock.now(),
        readOnly,
      }),
    ),
  ];
}

/** What awaits the customer, most urgent first (the store ranks: severity, then the longest waiting). */
async function awaitingPage(
  ctx: CustomerContext,
  severity: KnownSeverity | null,
  offset: number,
  limit: number,
): Promise<IncidentPage & { readonly waitingSince: ReadonlyMap<string, string> }> {
  const page = await ctx.store.listIncidents({
    customerId: ctx.customer.id,
    view: 'awaiting',
    severity,
    limit,
    offset,
    order: 'urgency',
  });
  return { ...page, waitingSince: page.waitingSince ?? new Map() };
}
