import { noticeCard } from '../../cards/index.js';
import { VERBS } from '../../cards/verbs.js';
import type { Reply } from '../ports.js';
import { cardReply } from '../replies.js';
import { sendToSdm, showSdm, showSdmForm } from './contact-sdm.js';
import type { CustomerContext, FlowContext, VerbRoute } from './context.js';
import { editItem, saveItem, showChecklist } from './readiness-checkin.js';
import { periodFromKey, postReport, showReport } from './reports.js';

// The SDM feature's card verbs, registered in flows/index.ts beside the others (its commands are in
// bot/commands/defs). The
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

type SdmVerbRoutes = {
  readonly [V in
    | typeof VERBS.reportShow
    | typeof VERBS.reportPost
    | typeof VERBS.checkinShow
    | typeof VERBS.checkinItem
    | typeof VERBS.checkinSave
    | typeof VERBS.sdmShow
    | typeof VERBS.sdmForm
    | typeof VERBS.sdmSend]: VerbRoute<V>;
};

/** The SDM feature's card verbs. */
export const sdmVerbRoutes: SdmVerbRoutes = {
  [VERBS.reportShow]: {
    verb: VERBS.reportShow,
    handle: (ctx, d) =>
      showReport(ctx, { customerId: d.customer, period: periodFromKey(d.period), mode: 'replace' }),
  },
  [VERBS.reportPost]: {
    verb: VERBS.reportPost,
    handle: (ctx, d) =>
      postReport(ctx, {
        customerId: d.customer,
        period: periodFromKey(d.period),
        confirmed: d.confirmed === true,
      }),
  },
  [VERBS.checkinShow]: {
    verb: VERBS.checkinShow,
    handle: (ctx, d) => showChecklist(ctx, d.customer),
  },
  [VERBS.checkinItem]: {
    verb: VERBS.checkinItem,
    handle: (ctx, d) => editItem(ctx, d.customer, d.key),
  },
  [VERBS.checkinSave]: {
    verb: VERBS.checkinSave,
    handle: (ctx, d) => saveItem(ctx, d),
  },
  [VERBS.sdmShow]: {
    verb: VERBS.sdmShow,
    handle: (ctx) => withCustomer(ctx, (cc) => showSdm(cc, 'replace')),
  },
  [VERBS.sdmForm]: {
    verb: VERBS.sdmForm,
    handle: (ctx, d) => withCustomer(ctx, (cc) => showSdmForm(cc, d.kind)),
  },
  [VERBS.sdmSend]: {
    verb: VERBS.sdmSend,
    handle: (ctx, d) => withCustomer(ctx, (cc) => sendToSdm(cc, d, 'replace')),
  },
};
