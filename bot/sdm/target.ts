import { noticeCard } from '../../cards/index.js';
import type { Customer } from '../domain/customer.js';
import type { FlowContext } from '../flows/context.js';
import type { Reply } from '../ports.js';
import { cardReply } from '../replies.js';
import { isSdmOf, type SdmDeps, sdmCustomers } from './deps.js';

// Which customer an SDM-feature request is about. A customer's people get their own customer and nothing
// else (naming another is answered like an unknown id); an SDM names one of the customers they are SDM of.

export type Target =
  | { readonly ok: true; readonly customer: Customer; readonly asSdm: boolean; readonly sdm: SdmDeps }
  | { readonly ok: false; readonly replies: readonly Reply[] };

const refuse = (title: string, text: string): Target => ({
  ok: false,
  replies: [cardReply(noticeCard({ title, text, tone: 'warning' }))],
});

/** Resolves the customer for `wanted` (a customer id or null) and checks the caller may see it. */
export function resolveTarget(ctx: FlowContext, wanted: string | null, usage: string): Target {
  const sdm = ctx.sdm;
  if (sdm === undefined) return refuse('Not available', 'This bot was started without the SDM features.');
  if (ctx.customer !== null) {
    if (wanted !== null && wanted !== ctx.customer.id)
      return refuse('No such customer', `There is no customer "${wanted}" here. ${usage}`);
    return { ok: true, customer: ctx.customer, asSdm: false, sdm };
  }
  const mine = sdmCustomers(ctx.actor, ctx.directory);
  if (mine.length === 0)
    return refuse('For customers and their SDM', 'Only a customer’s people and their SDM can do that.');
  const id = wanted ?? (mine.length === 1 ? (mine[0]?.id ?? null) : null);
  if (id === null)
    return refuse(
      'Which customer?',
      `Name one of your customers (${mine.map((c) => c.id).join(', ')}). ${usage}`,
    );
  const customer = ctx.directory.customers.find((c) => c.id === id);
  if (customer === undefined || !isSdmOf(ctx.actor, customer))
    return refuse(
      'Not your customer',
      `You are not the SDM of "${id}". Your customers: ${mine.map((c) => c.id).join(', ')}.`,
    );
  return { ok: true, customer, asSdm: true, sdm };
}
