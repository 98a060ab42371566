import { noticeCard } from '../../cards/index.js';
import type { Reply } from '../ports.js';
import { cardReply } from '../replies.js';
import type { CustomerContext, FlowContext } from './context.js';

// What the SDM feature's commands and buttons (bot/commands/defs, bot/actions/defs) share. The
// permission table admits a customer's people and SDMs; each flow then checks the customer: the caller's
// own, or one they are SDM of (bot/sdm/target.ts, bot/sdm/access.ts).

const forCustomers = (): readonly Reply[] => [
  cardReply(
    noticeCard({
      title: 'For a customer’s people',
      text: 'This is how a customer reaches their SDM. As an SDM, you get their messages as direct messages.',
      tone: 'info',
    }),
  ),
];

/** Runs a customer's SDM flow; an SDM or expert asking is told how customers reach them instead. */
export const withCustomer = (
  ctx: FlowContext,
  run: (c: CustomerContext) => Promise<readonly Reply[]>,
): Promise<readonly Reply[]> =>
  ctx.customer === null ? Promise.resolve(forCustomers()) : run(ctx as CustomerContext);
