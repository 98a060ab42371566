import { incidentSearchCard } from '../../cards/index.js';
import { searchIncidents } from '../links/incident-search.js';
import type { Reply } from '../ports.js';
import { cardReply } from '../replies.js';
import type { CustomerContext } from './context.js';
import { PAGE_SIZE } from './incident-status.js';

// `find <text>`: the caller's own incidents matching a search, the same search the Teams compose box runs.
// Scoped to the customer by the store query; where the conversation is shared, the router answers privately.

/** Lists the first page of the customer's incidents matching `text`. */
export async function findIncidents(ctx: CustomerContext, text: string): Promise<readonly Reply[]> {
  const page = await searchIncidents(ctx.store, {
    customerId: ctx.customer.id,
    text,
    offset: 0,
    limit: PAGE_SIZE,
  });
  return [
    cardReply(incidentSearchCard({ customerName: ctx.customer.name, text, page, now: ctx.clock.now() })),
  ];
}
