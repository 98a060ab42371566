import { customers } from '../../authz/grants.js';
import { type KnownSeverity, SEVERITIES } from '../../domain/enums.js';
import type { IncidentView } from '../../domain/incident.js';
import { customerCtx } from '../../flows/context.js';
import { listIncidents } from '../../flows/incident-status.js';
import { defineCommand, type ParseFailure } from '../define.js';
import { TIME_HINT } from '../grammar.js';

// `incidents [view] [severity]`, and the ways people ask for a list ("what needs my action").

export type IncidentsCommand = {
  readonly name: 'incidents';
  readonly view: IncidentView;
  readonly severity: KnownSeverity | null;
  readonly offset: number;
};

const VIEW_WORDS: Readonly<Record<string, IncidentView>> = {
  open: 'open',
  active: 'open',
  awaiting: 'awaiting',
  waiting: 'awaiting',
  pending: 'awaiting',
  investigating: 'investigating',
  'in-progress': 'investigating',
  resolved: 'resolved',
  closed: 'resolved',
  all: 'all',
};

// Words people add around the filters ("incidents awaiting my action", "incidents with high severity").
const FILLER = new Set([
  'my',
  'me',
  'our',
  'us',
  'action',
  'actions',
  'for',
  'the',
  'with',
  'severity',
  'that',
  'are',
  'need',
  'needs',
  'show',
  'list',
  'please',
  'on',
]);

// Time words people add to a list request; there is no time filter, so they get a plain answer saying so
// rather than being dropped silently.
const TIME_WORDS =
  /^(today|yesterday|tonight|recent|recently|new|latest|24h|48h|7d|30d|week|month|this|last|past|since|hours?|days?)$/;

function incidentsCommand(args: readonly string[]): IncidentsCommand | ParseFailure {
  let view: IncidentView = 'open';
  let severity: KnownSeverity | null = null;
  const cleaned = args.map((a) => a.toLowerCase().replace(/[?!.,]+$/, ''));
  if (cleaned.some((a) => TIME_WORDS.test(a))) return { name: 'unknown', hint: TIME_HINT };
  for (const arg of cleaned) {
    if (FILLER.has(arg)) continue;
    const v = VIEW_WORDS[arg];
    if (v !== undefined) view = v;
    else if ((SEVERITIES as readonly string[]).includes(arg)) severity = arg as KnownSeverity;
    else
      return {
        name: 'unknown',
        hint: `"${arg}" is not a view or severity. Try: incidents [open|awaiting|investigating|resolved|all] [high|medium|low]`,
      };
  }
  return { name: 'incidents', view, severity, offset: 0 };
}

/** "incidents awaiting us", "what is waiting for our action", "what are the experts investigating". */
function naturalList(t: string): IncidentsCommand | 'none' | null {
  if (
    !/\bincidents?\b|\b(need|needs|waiting|awaiting)\b.*\b(me|my|us|our|action)\b|\bexperts? (are )?(investigating|working)\b/.test(
      t,
    )
  )
    return null;
  let view: IncidentView = 'open';
  if (/\b(await|awaiting|waiting|need|needs|my action|our action|handed)\b/.test(t)) view = 'awaiting';
  else if (/\binvestigat|\bworking on\b/.test(t)) view = 'investigating';
  else if (/\b(resolved|closed)\b/.test(t)) view = 'resolved';
  else if (/\ball\b/.test(t)) view = 'all';
  if (/\b(today|yesterday|tonight|last|past|this week|since|\d+\s*(?:h|d|hours?|days?))\b/.test(t))
    return 'none';
  const sev = (SEVERITIES as readonly string[]).find((s) => new RegExp(`\\b${s}\\b`).test(t)) as
    | KnownSeverity
    | undefined;
  return { name: 'incidents', view, severity: sev ?? null, offset: 0 };
}

export const incidents = defineCommand<IncidentsCommand>({
  name: 'incidents',
  parse: ({ args }) => incidentsCommand(args),
  phrasings: {
    taught: [
      // "what needs my action", "what is waiting for our action", "what's awaiting us"
      /^what(?:'s|\s+is)?\s+(?:needs?|awaiting|waiting\s+(?:for|on))\s+(?:my|our|me|us)(?:\s+action)?$/,
    ],
    loose: [{ rank: 70, match: ({ lower }) => naturalList(lower) }],
  },
  usage: 'incidents [open|awaiting|investigating|resolved|all] [high|medium|low]',
  description: 'List incidents (default: open)',
  requires: customers(),
  handle: (ctx, c) => listIncidents(customerCtx(ctx), { ...c, mode: 'new' }),
});
