import { customers, providerViews } from '../../authz/grants.js';
import { customerCtx } from '../../flows/context.js';
import { showIncident } from '../../flows/incident-status.js';
import { providerIncident } from '../../flows/provider-views.js';
import { defineCommand } from '../define.js';
import { CUSTOMER_ID, INCIDENT_ID } from '../grammar.js';

// `incident <id>`, the many ways people ask about one incident, and `incident <customer> <id>` from the
// provider's side (experts, SDMs).

export type IncidentCommand = {
  readonly name: 'incident';
  readonly id: string;
  readonly allComments: boolean;
};
/** The provider's side (experts, SDMs): one customer's incident, named by customer id. */
export type IncidentForCommand = {
  readonly name: 'incidentFor';
  readonly customerId: string;
  readonly id: string;
};

const one = (id: string): IncidentCommand => ({ name: 'incident', id, allComments: false });

/** "what's the status of incident 42", "status of 30263", "#10493". */
function naturalIncident(t: string): IncidentCommand | null {
  const id =
    /\b(?:incident|case)\s*(?:number\s*|no\.?\s*|id\s*)?#?(\d{1,12})\b/.exec(t) ?? /#(\d{1,12})\b/.exec(t);
  if (id?.[1] && /\b(status|show|open|details?|about|what|how|tell|view|look|check|where)\b|^#?\d/.test(t))
    return one(id[1]);
  // "what's the status of 30263": a number after "status of" names an incident even without the word.
  const statusOf = /\b(?:status|details?|state)\s+(?:of|on|for)\s+#?(\d{1,12})\b/.exec(t);
  if (statusOf?.[1]) return one(statusOf[1]);
  // "status 10493", "status of #10493", "details 10493", or a bare "#10493": that incident, not the summary.
  const bare = /^(?:(?:status|details?|show|open|view|check)\s+(?:of\s+|for\s+|on\s+)?)?#?(\d{1,12})$/.exec(
    t,
  );
  return bare?.[1] ? one(bare[1]) : null;
}

export const incident = defineCommand<IncidentCommand, IncidentCommand | IncidentForCommand>({
  name: 'incident',
  parse: ({ args }) => {
    // `incident <customer> <id>` (experts, SDMs): a customer id starts with a letter, an incident id need not.
    const [who = '', which = ''] = args;
    const forCustomer = args.length === 2 && CUSTOMER_ID.test(who) ? INCIDENT_ID.exec(which) : null;
    if (forCustomer?.[1]) return { name: 'incidentFor', customerId: who.toLowerCase(), id: forCustomer[1] };
    const m = args.length === 1 ? INCIDENT_ID.exec(args[0] ?? '') : null;
    return m?.[1] ? one(m[1]) : { name: 'unknown', hint: 'Try: incident <id>, for example incident 42' };
  },
  phrasings: {
    taught: [
      // "10503", "#10503"
      /^#?\d{1,12}$/,
      // "status 10503", "status of #10503", "details for incident 10503", "show incident 10503"
      /^(?:status|details?|show|open|view|check)\s+(?:of\s+|for\s+|on\s+)?(?:incident\s+|case\s+)?#?\d{1,12}$/,
      // "what's the status of (incident) 10503", "tell me the status of #10503"
      /^(?:what's|what is|whats|tell me|show me|give me|can you (?:check|tell me))\s+(?:the\s+)?(?:current\s+)?(?:status|details?|state)\s+(?:of|on|for)\s+(?:incident\s+|case\s+)?#?\d{1,12}$/,
      // "tell me about incident 10503", "how is incident 10503"
      /^(?:tell me about|what about|how is|how's)\s+(?:incident|case)\s+#?\d{1,12}$/,
    ],
    // First of all phrasings: a message naming an incident is about that incident.
    loose: [{ rank: 10, match: ({ lower }) => naturalIncident(lower) }],
  },
  usage: 'incident <id>',
  description: 'One incident: status, classification, comments and history, guided response',
  requires: customers(),
  handle: (ctx, c) => showIncident(customerCtx(ctx), c.id, c.allComments, 'new'),
});

export const incidentFor = defineCommand<IncidentForCommand>({
  name: 'incidentFor',
  usage: 'incident <customer> <id> (experts, SDMs)',
  description: 'One customer’s incident, from the provider’s side',
  helpFor: {
    customer: null,
    expert: { usage: 'incident <customer> <id>', description: 'One customer’s incident (read-only)' },
    sdm: {
      usage: 'incident <customer> <id>',
      description: 'An incident of one of your customers (read-only)',
    },
  },
  // The flow admits experts and SDMs for their customers, and a customer's people for themselves.
  requires: providerViews,
  handle: (ctx, c) => providerIncident(ctx, c.customerId, c.id),
});
