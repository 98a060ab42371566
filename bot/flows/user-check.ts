import { noticeCard } from '../../cards/index.js';
import type {
  UserCheckAnswerData,
  UserCheckAskData,
  UserCheckRefData,
} from '../../cards/user-check-verbs.js';
import type { Customer } from '../domain/customer.js';
import type { Reply } from '../ports.js';
import { cardReply } from '../replies.js';
import type { CustomerContext, FlowContext } from './context.js';
import { hasRole } from './context.js';
import { findIncident } from './incident-lookup.js';

// "Was this you?" from chat: "Ask <user>" on the incident and alert cards (a customer's responders and
// admins about their own incidents; an expert about any customer's, from the provider's read-only card),
// the affected person's answer in their direct message, and withdrawing an unanswered question. The
// service (bot/user-check/service.ts) decides who may answer; every refusal is said to the clicker alone.

const privately = (reply: Reply): Reply => ({ ...reply, ephemeral: true });

const notice = (title: string, text: string): Reply =>
  privately(cardReply(noticeCard({ title, text, tone: 'warning' })));

const unavailable = (): Reply =>
  notice('Not available', 'Asking an affected user is not available on this bot (no store for it).');

/** The customer a click is about: the clicker's own, or, for an expert, the one the card names. */
function customerOf(ctx: FlowContext, named: string | undefined): Customer | null {
  if (ctx.customer !== null) return named === undefined || named === ctx.customer.id ? ctx.customer : null;
  if (!hasRole(ctx.actor, 'expert') || named === undefined) return null;
  return ctx.directory.customers.find((c) => c.id === named) ?? null;
}

/** "Ask <user>": looks the incident up for its customer, then asks the person its evidence names. */
export async function askUser(ctx: FlowContext, data: UserCheckAskData): Promise<readonly Reply[]> {
  const service = ctx.userChecks;
  if (service === undefined) return [unavailable()];
  const customer = customerOf(ctx, data.c);
  const missing = notice(
    'Incident not found',
    `I can't find incident ${data.id}. Check the id, or open the incident again.`,
  );
  if (customer === null) return [missing];
  const cctx: CustomerContext = { ...ctx, customer };
  const incident = await findIncident(cctx, data.id);
  if (incident === null || incident === 'limited') return [missing];
  return service.ask({
    actor: ctx.actor,
    customer,
    incident,
    upn: data.upn,
    conversation: ctx.conversation,
  });
}

/** The affected person's answer (with the optional note typed into the card). */
export async function answerUserCheck(
  ctx: FlowContext,
  data: UserCheckAnswerData,
): Promise<readonly Reply[]> {
  const service = ctx.userChecks;
  if (service === undefined) return [unavailable()];
  // Only a customer's own people reach here (the permission table); the service checks it is the person asked.
  if (ctx.customer === null)
    return [privately({ text: 'Not done: this question is not yours to answer.', card: null, mode: 'new' })];
  return service.answer({
    actor: ctx.actor,
    customer: ctx.customer,
    id: data.k,
    answer: data.a,
    note: data.ucNote ?? null,
  });
}

/** "Withdraw the question". */
export async function cancelUserCheck(ctx: FlowContext, data: UserCheckRefData): Promise<readonly Reply[]> {
  const service = ctx.userChecks;
  if (service === undefined) return [unavailable()];
  const customer = customerOf(ctx, data.c);
  if (customer === null) return [notice('Question not found', 'I can’t find that question.')];
  return service.cancel({ actor: ctx.actor, customer, id: data.k });
}
