import { noticeCard } from '../../cards/index.js';
import type { Customer } from '../domain/customer.js';
import type { Reply } from '../ports.js';
import { cardReply } from '../replies.js';
import { isSdmOf } from '../sdm/deps.js';
import { type CustomerContext, type FlowContext, hasRole } from './context.js';
import { showIncident, showSummary } from './incident-status.js';

// `incident <customer> <id>` and `summary <customer>` from the provider's side: an expert may look at any
// customer, an SDM at the customers they look after, and only in the provider's own workspace, where no
// other customer can read along. A customer naming itself gets its own view; naming another gets the same
// answer as an unknown customer.

const notice = (title: string, text: string): Reply =>
  cardReply(noticeCard({ title, text, tone: 'warning' }));

/** The customers this provider person may look at. */
function reachable(ctx: FlowContext): readonly Customer[] {
  if (hasRole(ctx.actor, 'expert')) return ctx.directory.customers;
  return ctx.directory.customers.filter((c) => isSdmOf(ctx.actor, c));
}

type Resolved = { readonly ctx: CustomerContext } | { readonly refusal: Reply };

function resolve(ctx: FlowContext, customerId: string, usage: string): Resolved {
  if (ctx.customer !== null) {
    // A customer's own people: their own customer id is simply their own view.
    if (ctx.customer.id === customerId) return { ctx: ctx as CustomerContext };
    return {
      refusal: notice(
        'Not available here',
        `"${usage}" is for Defender Experts and service delivery managers in the provider's workspace. For your own incidents, leave out the customer.`,
      ),
    };
  }
  const mine = reachable(ctx);
  const customer = mine.find((c) => c.id === customerId);
  if (customer === undefined) {
    const known = mine.map((c) => c.id).join(', ');
    return {
      refusal: notice(
        'Customer not found',
        known === ''
          ? `No customer "${customerId}" that you look after.`
          : `No customer "${customerId}" that you look after. Yours: ${known}.`,
      ),
    };
  }
  return { ctx: { ...ctx, customer } };
}

/** `incident <customer> <id>`: the incident card, read-only on the provider's side. */
export async function providerIncident(
  ctx: FlowContext,
  customerId: string,
  id: string,
): Promise<readonly Reply[]> {
  const r = resolve(ctx, customerId, 'incident <customer> <id>');
  if ('refusal' in r) return [r.refusal];
  return showIncident(r.ctx, id, false, 'new', ctx.customer === null);
}

/** `summary <customer>`: what awaits that customer and what the experts are on. */
export async function providerSummary(ctx: FlowContext, customerId: string): Promise<readonly Reply[]> {
  const r = resolve(ctx, customerId, 'summary <customer>');
  if ('refusal' in r) return [r.refusal];
  return showSummary(r.ctx, ctx.customer === null);
}
