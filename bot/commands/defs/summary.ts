import { customers, providerViews } from '../../authz/grants.js';
import { customerCtx } from '../../flows/context.js';
import { showSummary } from '../../flows/incident-status.js';
import { providerSummary } from '../../flows/provider-views.js';
import { defineCommand } from '../define.js';
import { CUSTOMER_ID } from '../grammar.js';

// `summary`, and `summary <customer>` from the provider's side (experts, SDMs).

export type SummaryCommand = { readonly name: 'summary' };
export type SummaryForCommand = { readonly name: 'summaryFor'; readonly customerId: string };

export const summary = defineCommand<SummaryCommand, SummaryCommand | SummaryForCommand>({
  name: 'summary',
  parse: ({ args }) =>
    args.length === 1 && CUSTOMER_ID.test(args[0] ?? '')
      ? { name: 'summaryFor', customerId: (args[0] ?? '').toLowerCase() }
      : { name: 'summary' },
  // Last of all phrasings: "status" anywhere, once nothing more precise matched.
  phrasings: {
    loose: [
      {
        rank: 80,
        match: ({ lower }) => (/\b(summary|overview|status)\b/.test(lower) ? { name: 'summary' } : null),
      },
    ],
  },
  usage: 'summary',
  description: 'Defender Experts summary: what awaits your action, what the experts are investigating',
  requires: customers(),
  handle: (ctx) => showSummary(customerCtx(ctx)),
});

export const summaryFor = defineCommand<SummaryForCommand>({
  name: 'summaryFor',
  usage: 'summary <customer> (experts, SDMs)',
  description: 'One customer’s Defender Experts summary, from the provider’s side',
  helpFor: {
    customer: null,
    expert: { usage: 'summary <customer>', description: 'One customer’s Defender Experts summary' },
    sdm: {
      usage: 'summary <customer>',
      description: 'The Defender Experts summary of one of your customers',
    },
  },
  requires: providerViews,
  handle: (ctx, c) => providerSummary(ctx, c.customerId),
});
