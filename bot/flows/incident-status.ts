import { awaitingSummaryCard, incidentDetailCard, incidentListCard, noticeCard } from '../../cards/index.js';
import type { KnownSeverity } from '../domain/enums.js';
import type { Incident, IncidentView } from '../domain/incident.js';
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
/** How many awaiting incidents are ranked by urgency (more than any customer should have waiting). */
const AWAITING_RANKED = 500;
const SEVERITY_RANK: Readonly<Record<string, number>> = { high: 0, medium: 1, low: 2, informational: 3 };

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
  const page: IncidentPage & { waitingSince?: ReadonlyMap<string, string> } = urgent
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

interface AwaitingPage {
  readonly items: readonly Incident[];
  readonly total: number;
  /** When each listed incident was handed over (the sync's timeline), else its last update. */
  readonly waitingSince: ReadonlyMap<string, string>;
}

/**
 * What awaits the customer, most urgent first: highest severity, then the longest waiting (the
 * ones that age into reminders), rather than the last update, which any touch moves to the top.
 */
async function awaitingPage(
  ctx: CustomerContext,
  severity: KnownSeverity | null,
  offset: number,
  limit: number,
): Promise<AwaitingPage> {
  const all = await ctx.store.listIncidents({
    customerId: ctx.customer.id,
    view: 'awaiting',
    severity,
    limit: AWAITING_RANKED,
    offset: 0,
  });
  const timelines = ctx.sdm
    ? await ctx.sdm.store.listTimelines(
        ctx.customer.id,
        all.items.map((i) => i.id),
      )
    : [];
  const handedOff = new Map<string, string>();
  for (const t of timelines) if (t.handedOffAt !== null) handedOff.set(t.incidentId, t.handedOffAt);
  const since = (i: Incident): string => handedOff.get(i.id) ?? i.lastUpdateDateTime;
  const time = (i: Incident): number => {
    const t = Date.parse(since(i));
    return Number.isNaN(t) ? Number.MAX_SAFE_INTEGER : t;
  };
  const rank = (i: Incident): number => SEVERITY_RANK[String(i.severity)] ?? 4;
  const sorted = [...all.items].sort(
    (a, b) => rank(a) - rank(b) || time(a) - time(b) || a.id.localeCompare(b.id),
  );
  const items = sorted.slice(offset, offset + limit);
  return {
    items,
    total: Math.max(all.total, all.items.length),
    waitingSince: new Map(items.map((i) => [i.id, since(i)])),
  };
}
