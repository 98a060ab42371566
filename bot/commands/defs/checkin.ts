import { customersAndSdm } from '../../authz/grants.js';
import { checkinCommand } from '../../flows/readiness-checkin.js';
import { defineCommand } from '../define.js';

// `checkin`, and `checkin start <customer>` for an SDM.

export type CheckinCommand = { readonly name: 'checkin'; readonly startFor: string | null };

export const checkin = defineCommand<CheckinCommand>({
  name: 'checkin',
  parse: ({ args }) => {
    if (args.length === 0) return { name: 'checkin', startFor: null };
    if (args[0]?.toLowerCase() === 'start' && args.length === 2)
      return { name: 'checkin', startFor: (args[1] ?? '').toLowerCase() };
    return { name: 'unknown', hint: 'Try: checkin, or checkin start <customer>' };
  },
  usage: 'checkin · checkin start <customer> (SDM)',
  description: 'Readiness check-in checklist',
  helpFor: {
    customer: { usage: 'checkin', description: 'Your readiness check-in checklist' },
    expert: null,
    sdm: {
      usage: 'checkin · checkin start <customer>',
      description: 'Readiness check-ins of your customers',
    },
  },
  requires: customersAndSdm,
  handle: (ctx, c) => checkinCommand(ctx, c.startFor),
});
