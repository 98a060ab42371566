import { customers } from '../../authz/grants.js';
import { sdmCommand, showSdm } from '../../flows/contact-sdm.js';
import { withCustomer } from '../../flows/sdm-routes.js';
import { defineCommand } from '../define.js';

// `sdm`, `sdm <message>` and `escalate <reason>`: a customer's line to their service delivery manager.

export type SdmCommand = { readonly name: 'sdm'; readonly message: string | null };
export type EscalateCommand = { readonly name: 'escalate'; readonly message: string };

export const sdm = defineCommand<SdmCommand>({
  name: 'sdm',
  parse: ({ rest }) => ({ name: 'sdm', message: rest === '' ? null : rest }),
  phrasings: {
    // "who is my SDM", "who's our service delivery manager"
    taught: [/^who(?:'s|\s+is)\s+(?:my|our)\s+(?:sdm|service delivery manager)$/],
    loose: [
      {
        rank: 40,
        match: ({ lower }) =>
          /\b(my|our)\s+sdm\b|\bservice delivery manager\b/.test(lower)
            ? { name: 'sdm', message: null }
            : null,
      },
    ],
  },
  usage: 'sdm · sdm <message>',
  description: 'Your service delivery manager: message, escalate, feedback, book a review',
  requires: customers(),
  handle: (ctx, c) =>
    withCustomer(ctx, (cc) =>
      c.message === null ? showSdm(cc, 'new') : sdmCommand(cc, 'message', c.message),
    ),
});

export const escalate = defineCommand<EscalateCommand>({
  name: 'escalate',
  parse: ({ rest }) =>
    rest === ''
      ? { name: 'unknown', hint: 'Try: escalate <what needs your SDM’s attention>' }
      : { name: 'escalate', message: rest },
  usage: 'escalate [low|medium|high] <reason>',
  description: 'Escalate to your SDM',
  // A Teams command list holds at most 12 commands: channels leave `escalate` out (the SDM card escalates).
  teams: ['personal'],
  requires: customers(),
  handle: (ctx, c) => withCustomer(ctx, (cc) => sdmCommand(cc, 'escalation', c.message)),
});
