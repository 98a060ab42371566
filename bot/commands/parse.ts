import { ALERT_RULES, type AlertRule, DEFAULT_RULES } from '../alerts/events.js';
import { type KnownSeverity, SEVERITIES } from '../domain/enums.js';
import type { IncidentView } from '../domain/incident.js';
import { commandWordOf } from '../relay/command-words.js';
import type { Command, ParseFailure, ReportPeriod } from './command.js';

// Parses chat text into a Command: the exact command grammar first, then light natural phrasing
// ("what's the status of incident 42" → incident 42). Pure; the router handles length limits.

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

const INCIDENT_ID = /^#?([A-Za-z0-9][A-Za-z0-9-]{0,63})$/;
const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const CUSTOMER_ID = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

const words = (s: string): string[] => s.split(/\s+/).filter((w) => w !== '');

// Time words people add to a list request; there is no time filter, so they get a plain answer saying so
// rather than being dropped silently.
const TIME_WORDS =
  /^(today|yesterday|tonight|recent|recently|new|latest|24h|48h|7d|30d|week|month|this|last|past|since|hours?|days?)$/;
const TIME_HINT =
  'I can’t filter incidents by time yet. Lists show the latest activity first: try "incidents open", "incidents awaiting" or "incidents all".';

function incidentsCommand(args: readonly string[]): Command | ParseFailure {
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

const RULE_WORDS: Readonly<Record<string, readonly AlertRule[]>> = {
  all: ALERT_RULES,
  default: DEFAULT_RULES,
  handoff: ['handedOff'],
  handoffs: ['handedOff'],
  resolved: ['resolvedTruePositive', 'resolvedOther'],
  tp: ['resolvedTruePositive'],
  'true-positive': ['resolvedTruePositive'],
  started: ['expertsStarted'],
  investigating: ['expertsStarted'],
  classification: ['classificationChanged'],
  comments: ['commentAdded'],
  actions: ['actionChanged'],
  reopened: ['reopened'],
};

/** `subscribe [all|handoff|resolved|tp|started|classification|comments|actions|reopened…] [oncall <id>]`. */
function subscribeCommand(args: readonly string[]): Command | ParseFailure {
  const rules = new Set<AlertRule>();
  let onCall: string | null = null;
  for (let i = 0; i < args.length; i += 1) {
    const word = (args[i] ?? '').toLowerCase().replace(/,$/, '');
    if (word === 'oncall' || word === 'on-call') {
      const who = args[i + 1];
      if (who === undefined || !/^[A-Za-z0-9@._:^!<>|-]{1,128}$/.test(who)) {
        return { name: 'unknown', hint: 'Try: subscribe oncall <user or group id>' };
      }
      onCall = who.replace(/^<[@!]?(?:subteam\^)?([A-Za-z0-9]+)(?:\|[^>]*)?>$/, '$1');
      i += 1;
      continue;
    }
    const found = RULE_WORDS[word];
    if (found === undefined) {
      return {
        name: 'unknown',
        hint: `"${word}" is not an alert type. Try: subscribe [all|handoff|resolved|tp|started|classification|comments|actions|reopened] [oncall <id>]`,
      };
    }
    for (const r of found) rules.add(r);
  }
  return {
    name: 'subscribe',
    rules: rules.size === 0 ? null : ALERT_RULES.filter((r) => rules.has(r)),
    onCall,
  };
}

function reportCommand(arg: string | undefined): Command | ParseFailure {
  if (arg === undefined) return { name: 'report', period: { kind: 'days', days: 30 } };
  const days = { '7d': 7, '30d': 30, '90d': 90 } as const;
  const d = days[arg.toLowerCase() as keyof typeof days];
  if (d !== undefined) return { name: 'report', period: { kind: 'days', days: d } };
  if (MONTH.test(arg))
    return { name: 'report', period: { kind: 'month', month: arg } satisfies ReportPeriod };
  return { name: 'unknown', hint: 'Try: report [7d|30d|90d|YYYY-MM]' };
}

function exact(text: string): Command | ParseFailure | null {
  const [head = '', ...rest] = words(text);
  const verb = head.toLowerCase();
  const restText = text.slice(text.indexOf(head) + head.length).trim();
  switch (verb) {
    case 'help':
    case '?':
      return { name: 'help' };
    case 'summary':
      if (rest.length === 1 && CUSTOMER_ID.test(rest[0] ?? ''))
        return { name: 'summaryFor', customerId: (rest[0] ?? '').toLowerCase() };
      return { name: 'summary' };
    case 'incidents':
      return incidentsCommand(rest);
    case 'incident': {
      // `incident <customer> <id>` (experts, SDMs): a customer id starts with a letter, an incident id need not.
      const [who = '', which = ''] = rest;
      const forCustomer = rest.length === 2 && CUSTOMER_ID.test(who) ? INCIDENT_ID.exec(which) : null;
      if (forCustomer?.[1]) return { name: 'incidentFor', customerId: who.toLowerCase(), id: forCustomer[1] };
      const m = rest.length === 1 ? INCIDENT_ID.exec(rest[0] ?? '') : null;
      return m?.[1]
        ? { name: 'incident', id: m[1], allComments: false }
        : { name: 'unknown', hint: 'Try: incident <id>, for example incident 42' };
    }
    case 'find':
      return restText === ''
        ? { name: 'unknown', hint: 'Try: find <text>, for example find LAPTOP-7 or find alice@contoso.com' }
        : { name: 'find', text: restText };
    case 'ask': {
      const question = restText.replace(/^(?:the\s+)?(?:defender\s+)?experts?\b\s*[:,-]?\s*/i, '');
      const withIncident = /^incident\s+#?([A-Za-z0-9][A-Za-z0-9-]{0,63})(?:\s+([\s\S]+))?$/i.exec(question);
      if (withIncident) {
        const [, id = '', question = ''] = withIncident;
        return question.trim() === ''
          ? { name: 'unknown', hint: 'Try: ask incident <id> <your question>' }
          : { name: 'ask', incidentId: id, text: question.trim() };
      }
      return question === ''
        ? { name: 'unknown', hint: 'Try: ask <your question for Defender Experts>' }
        : { name: 'ask', incidentId: null, text: question };
    }
    case 'questions':
      return { name: 'questions' };
    case 'sdm':
      return { name: 'sdm', message: restText === '' ? null : restText };
    case 'escalate':
      return restText === ''
        ? { name: 'unknown', hint: 'Try: escalate <what needs your SDM’s attention>' }
        : { name: 'escalate', message: restText };
    case 'report': {
      // An SDM names the customer with the period: `report contoso 2026-10` (either order). One word alone
      // must be a period, so a typo like "report yesterday" gets the hint, not a customer lookup.
      if (rest.length < 2) return reportCommand(rest[0]);
      const hint = 'Try: report [7d|30d|90d|YYYY-MM], or (SDM) report <customer> <period>';
      if (rest.length > 2) return { name: 'unknown', hint };
      const [a = '', b = ''] = rest;
      const aIsPeriod = reportCommand(a).name === 'report';
      const parsed = reportCommand(aIsPeriod ? a : b);
      const customer = (aIsPeriod ? b : a).toLowerCase();
      if (parsed.name !== 'report' || !/^[a-z0-9][a-z0-9_-]{0,63}$/.test(customer))
        return { name: 'unknown', hint };
      return { ...parsed, customerId: customer };
    }
    case 'checkin':
      if (rest.length === 0) return { name: 'checkin', startFor: null };
      if (rest[0]?.toLowerCase() === 'start' && rest.length === 2)
        return { name: 'checkin', startFor: (rest[1] ?? '').toLowerCase() };
      return { name: 'unknown', hint: 'Try: checkin, or checkin start <customer>' };
    case 'messages': {
      const filter = (rest[0] ?? '30d').toLowerCase();
      return rest.length <= 1 && (filter === '7d' || filter === '30d' || filter === 'open')
        ? { name: 'messages', filter }
        : { name: 'unknown', hint: 'Try: messages [7d|30d|open]' };
    }
    case 'subscribe':
      return subscribeCommand(rest);
    case 'unsubscribe':
      return rest.length === 0 ? { name: 'unsubscribe' } : null;
    default:
      return null;
  }
}

/** Natural phrasings mapped onto the grammar. Ordered: the first match wins. */
function natural(text: string): Command | null {
  const t = text
    .toLowerCase()
    .replace(/[?!.,]+$/g, '')
    .replace(/[’']/g, "'")
    .trim();
  const id =
    /\b(?:incident|case)\s*(?:number\s*|no\.?\s*|id\s*)?#?(\d{1,12})\b/.exec(t) ?? /#(\d{1,12})\b/.exec(t);
  if (id?.[1] && /\b(status|show|open|details?|about|what|how|tell|view|look|check|where)\b|^#?\d/.test(t)) {
    return { name: 'incident', id: id[1], allComments: false };
  }
  // "what's the status of 30263": a number after "status of" names an incident even without the word.
  const statusOf = /\b(?:status|details?|state)\s+(?:of|on|for)\s+#?(\d{1,12})\b/.exec(t);
  if (statusOf?.[1]) return { name: 'incident', id: statusOf[1], allComments: false };
  // "status 10493", "status of #10493", "details 10493", or a bare "#10493": that incident, not the summary.
  const bare = /^(?:(?:status|details?|show|open|view|check)\s+(?:of\s+|for\s+|on\s+)?)?#?(\d{1,12})$/.exec(
    t,
  );
  if (bare?.[1]) return { name: 'incident', id: bare[1], allComments: false };
  if (/^(hi|hello|hey|help me|what can you do|commands)\b/.test(t)) return { name: 'help' };
  const askExperts = /^(?:please\s+)?ask\s+(?:the\s+)?(?:defender\s+)?experts?\s*(?:[:,-]\s*)?(.+)$/.exec(
    text.trim(),
  );
  if (askExperts?.[1]) return { name: 'ask', incidentId: null, text: askExperts[1].trim() };
  if (/\b(my|our)\s+sdm\b|\bservice delivery manager\b/.test(t)) return { name: 'sdm', message: null };
  if (/\b(my|open) questions\b/.test(t)) return { name: 'questions' };
  // "show my messages", "conversation history", "open threads": the messages view.
  const history =
    /^(?:show |list )?(?:me )?(?:my |our |the )?(?:(open) )?(?:messages|message history|conversation history|conversations|threads)(?: (?:from |in )?(?:the )?(?:last|past) (7|30) days)?$/.exec(
      t,
    );
  if (history !== null)
    return { name: 'messages', filter: history[1] === 'open' ? 'open' : history[2] === '7' ? '7d' : '30d' };
  if (
    /\bincidents?\b|\b(need|needs|waiting|awaiting)\b.*\b(me|my|us|our|action)\b|\bexperts? (are )?(investigating|working)\b/.test(
      t,
    )
  ) {
    let view: IncidentView = 'open';
    if (/\b(await|awaiting|waiting|need|needs|my action|our action|handed)\b/.test(t)) view = 'awaiting';
    else if (/\binvestigat|\bworking on\b/.test(t)) view = 'investigating';
    else if (/\b(resolved|closed)\b/.test(t)) view = 'resolved';
    else if (/\ball\b/.test(t)) view = 'all';
    if (/\b(today|yesterday|tonight|last|past|this week|since|\d+\s*(?:h|d|hours?|days?))\b/.test(t))
      return null;
    const sev = (SEVERITIES as readonly string[]).find((s) => new RegExp(`\\b${s}\\b`).test(t)) as
      | KnownSeverity
      | undefined;
    return { name: 'incidents', view, severity: sev ?? null, offset: 0 };
  }
  if (/\b(summary|overview|status)\b/.test(t)) return { name: 'summary' };
  return null;
}

/** Parses one message. Never throws; unmapped text yields a failure with a short hint. */
export function parseCommand(raw: string): Command | ParseFailure {
  // Whitespace inside a question is kept (line breaks matter to the experts); only the ends are trimmed.
  const text = raw.trim().replace(/^\/experts\s*/i, '');
  if (text === '') return { name: 'help' };
  // A message that starts with a command word is held to that command's grammar: a precise hint beats a guess.
  const direct = exact(text);
  if (direct !== null) return direct;
  const mapped = natural(text);
  if (mapped !== null) return mapped;
  const t = text.toLowerCase();
  if (/^(?:thanks?|thank you|thx|ty|cheers|great|ok(?:ay)?|got it)\b[\s!.]*\w*[\s!.]*$/.test(t))
    return { name: 'unknown', hint: 'You’re welcome. Send "help" any time to see what I can do.' };
  if (/\bincidents?\b/.test(t)) return { name: 'unknown', hint: TIME_HINT };
  if (/^(?:show\s+)?(?:the\s+)?(?:config|configuration|settings|alert settings|subscription)$/.test(t))
    return {
      name: 'unknown',
      hint: 'I can’t show this channel’s alert settings on their own yet. An admin sets them with "subscribe [all|handoff|resolved|…]" in the channel, and the answer lists the rules then active. Send "help" for the rest.',
    };
  // A slip of a command word gets the word it is one keystroke from, wherever it is typed.
  const slip = commandWordOf(text);
  const didYouMean = slip !== null && !slip.exact ? `Did you mean "${slip.word}"? ` : '';
  return {
    name: 'unknown',
    hint: `${didYouMean}I did not understand that. Try "help", "incidents awaiting" or "incident 42".`,
  };
}
