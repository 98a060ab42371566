import { customersAndSdm } from '../../authz/grants.js';
import { showReport } from '../../flows/reports.js';
import type { ReportPeriod } from '../command.js';
import { defineCommand, type ParseFailure } from '../define.js';
import { MONTH } from '../grammar.js';

// `report [7d|30d|90d|YYYY-MM]`, and `report <customer> <period>` for an SDM.

export type ReportCommand = {
  readonly name: 'report';
  readonly period: ReportPeriod;
  /** The customer an SDM asks about (`report contoso 2026-10`); absent for a customer's own people. */
  readonly customerId?: string | null;
};

function reportCommand(arg: string | undefined): ReportCommand | ParseFailure {
  if (arg === undefined) return { name: 'report', period: { kind: 'days', days: 30 } };
  const days = { '7d': 7, '30d': 30, '90d': 90 } as const;
  const d = days[arg.toLowerCase() as keyof typeof days];
  if (d !== undefined) return { name: 'report', period: { kind: 'days', days: d } };
  if (MONTH.test(arg))
    return { name: 'report', period: { kind: 'month', month: arg } satisfies ReportPeriod };
  return { name: 'unknown', hint: 'Try: report [7d|30d|90d|YYYY-MM]' };
}

export const report = defineCommand<ReportCommand>({
  name: 'report',
  parse: ({ args }) => {
    // An SDM names the customer with the period: `report contoso 2026-10` (either order). One word alone
    // must be a period, so a typo like "report yesterday" gets the hint, not a customer lookup.
    if (args.length < 2) return reportCommand(args[0]);
    const hint = 'Try: report [7d|30d|90d|YYYY-MM], or (SDM) report <customer> <period>';
    if (args.length > 2) return { name: 'unknown', hint };
    const [a = '', b = ''] = args;
    const aIsPeriod = reportCommand(a).name === 'report';
    const parsed = reportCommand(aIsPeriod ? a : b);
    const customer = (aIsPeriod ? b : a).toLowerCase();
    if (parsed.name !== 'report' || !/^[a-z0-9][a-z0-9_-]{0,63}$/.test(customer))
      return { name: 'unknown', hint };
    return { ...parsed, customerId: customer };
  },
  usage: 'report [7d|30d|90d|YYYY-MM] · report <customer> <period> (SDM)',
  description: 'Service report with chart and CSV',
  helpFor: {
    customer: { usage: 'report [7d|30d|90d|YYYY-MM]', description: 'Service report with chart and CSV' },
    expert: null,
    sdm: {
      usage: 'report <customer> [7d|30d|90d|YYYY-MM]',
      description: 'A customer’s service report; a completed month can be posted as the business review',
    },
  },
  requires: customersAndSdm,
  handle: (ctx, c) => showReport(ctx, { customerId: c.customerId ?? null, period: c.period, mode: 'new' }),
});
