import { VERBS, type Verb } from '../../cards/verbs.js';
import type { Command, CommandName } from '../commands/command.js';
import { BotError } from '../errors.js';
import { subscribe, unsubscribe } from './channel-alerts.js';
import type { CommandRoute, CustomerContext, FlowContext, VerbRoute } from './context.js';
import { askRun, askSkip, cancelAction, completeAction, confirmRun, confirmSkip } from './guided-response.js';
import { showHelp } from './help.js';
import { findIncidents } from './incident-find.js';
import { listIncidents, showIncident, showSummary } from './incident-status.js';
import { markMessagesRead, showMessages } from './messages.js';
import { providerIncident, providerSummary } from './provider-views.js';
import { listQuestions } from './questions.js';
import { askCommand, questionVerbRoutes } from './questions-routes.js';
import { checkinRoute, escalateRoute, reportRoute, sdmRoute, sdmVerbRoutes } from './sdm-routes.js';
import { answerUserCheck, askUser, cancelUserCheck } from './user-check.js';

// The one place flows are registered. Who may reach each one is not declared here but in the role × verb
// table (bot/authz/permissions.ts), keyed by the same names, so no route can exist without an entry.

function customerCtx(ctx: FlowContext): CustomerContext {
  if (ctx.customer === null)
    throw new BotError('forbidden', 'customer-scoped route reached without a customer');
  return ctx as CustomerContext;
}

type Routes = { readonly [N in CommandName]: CommandRoute<N> };

const routes: Routes = {
  help: {
    command: 'help',
    available: true,
    usage: 'help',
    description: 'What I can do for you',
    handle: (ctx) => showHelp(ctx, commandRoutes),
  },
  summary: {
    command: 'summary',
    available: true,
    usage: 'summary',
    description: 'Defender Experts summary: what awaits your action, what the experts are investigating',
    handle: (ctx) => showSummary(customerCtx(ctx)),
  },
  incidents: {
    command: 'incidents',
    available: true,
    usage: 'incidents [open|awaiting|investigating|resolved|all] [high|medium|low]',
    description: 'List incidents (default: open)',
    handle: (ctx, c) => listIncidents(customerCtx(ctx), { ...c, mode: 'new' }),
  },
  incident: {
    command: 'incident',
    available: true,
    usage: 'incident <id>',
    description: 'One incident: status, classification, comments and history, guided response',
    handle: (ctx, c) => showIncident(customerCtx(ctx), c.id, c.allComments, 'new'),
  },
  find: {
    command: 'find',
    available: true,
    usage: 'find <text>',
    description: 'Search your incidents by id, title, user, device, IP address or file',
    handle: (ctx, c) => findIncidents(customerCtx(ctx), c.text),
  },
  incidentFor: {
    command: 'incidentFor',
    // The flow admits experts and SDMs for their customers, and a customer's people for themselves.
    available: true,
    usage: 'incident <customer> <id> (experts, SDMs)',
    description: 'One customer’s incident, from the provider’s side',
    handle: (ctx, c) => providerIncident(ctx, c.customerId, c.id),
  },
  summaryFor: {
    command: 'summaryFor',
    available: true,
    usage: 'summary <customer> (experts, SDMs)',
    description: 'One customer’s Defender Experts summary, from the provider’s side',
    handle: (ctx, c) => providerSummary(ctx, c.customerId),
  },
  ask: {
    command: 'ask',
    available: true,
    usage: 'ask <question> · ask incident <id> <question>',
    description: 'Ask Defender Experts a question (answers come back in the thread)',
    handle: (ctx, c) => askCommand(ctx, c),
  },
  questions: {
    command: 'questions',
    available: true,
    usage: 'questions',
    description: 'Your questions to the experts and their state (experts: the queue)',
    handle: (ctx) => listQuestions(ctx, 'new'),
  },
  sdm: {
    command: 'sdm',
    available: true,
    usage: 'sdm · sdm <message>',
    description: 'Your service delivery manager: message, escalate, feedback, book a review',
    handle: (ctx, c) => sdmRoute(ctx, c),
  },
  escalate: {
    command: 'escalate',
    available: true,
    usage: 'escalate [low|medium|high] <reason>',
    description: 'Escalate to your SDM',
    handle: (ctx, c) => escalateRoute(ctx, c),
  },
  report: {
    command: 'report',
    available: true,
    usage: 'report [7d|30d|90d|YYYY-MM] · report <customer> <period> (SDM)',
    description: 'Service report with chart and CSV',
    handle: (ctx, c) => reportRoute(ctx, c),
  },
  checkin: {
    command: 'checkin',
    available: true,
    usage: 'checkin · checkin start <customer> (SDM)',
    description: 'Readiness check-in checklist',
    handle: (ctx, c) => checkinRoute(ctx, c),
  },
  messages: {
    command: 'messages',
    available: true,
    usage: 'messages [7d|30d|open]',
    description: 'Managed-response threads and Ask Defender Experts requests, with CSV export',
    handle: (ctx, c) => showMessages(ctx, c.filter, 'new'),
  },
  subscribe: {
    command: 'subscribe',
    available: true,
    usage: 'subscribe [all|handoff|resolved|tp|comments|actions…] [oncall <id>] (admin, in a channel)',
    description: 'Post incident alerts to this channel (default: handoffs and true positives resolved)',
    handle: (ctx, c) => subscribe(customerCtx(ctx), c),
  },
  unsubscribe: {
    command: 'unsubscribe',
    available: true,
    usage: 'unsubscribe (admin, in a channel)',
    description: 'Stop incident alerts in this channel',
    handle: (ctx) => unsubscribe(customerCtx(ctx)),
  },
};

/** All command routes, in help order. */
export const commandRoutes: readonly CommandRoute[] = Object.values(routes) as CommandRoute[];

/** Runs the route registered for a parsed command (the router has already checked the permission table). */
export function routeFor(command: Command): CommandRoute {
  const route = (routes as Record<string, CommandRoute | undefined>)[command.name];
  if (route === undefined) throw new BotError('bad_input', `no route for command ${command.name}`);
  return route;
}

type VerbRoutes = { readonly [V in Verb]: VerbRoute<V> };

/** Card actions, by verb; their data was validated by parseActionPayload before a handler sees it. */
export const verbRoutes: VerbRoutes = {
  [VERBS.help]: { verb: VERBS.help, handle: (ctx) => showHelp(ctx, commandRoutes) },
  [VERBS.messagesShow]: {
    verb: VERBS.messagesShow,
    handle: (ctx, d) => showMessages(ctx, d.filter, 'replace'),
  },
  [VERBS.messagesRead]: {
    verb: VERBS.messagesRead,
    handle: (ctx, d) => markMessagesRead(ctx, d.filter),
  },
  [VERBS.incidentsList]: {
    verb: VERBS.incidentsList,
    handle: (ctx, d) => listIncidents(customerCtx(ctx), { ...d, mode: 'replace' }),
  },
  [VERBS.incidentShow]: {
    verb: VERBS.incidentShow,
    handle: (ctx, d) => showIncident(customerCtx(ctx), d.id, false, 'new'),
  },
  [VERBS.incidentComments]: {
    verb: VERBS.incidentComments,
    handle: (ctx, d) => showIncident(customerCtx(ctx), d.id, true, 'replace'),
  },
  ...questionVerbRoutes,
  ...sdmVerbRoutes,
  // Guided response: the route admits the customer's people; the flow then applies the permission matrix
  // (bot/response/rules.ts: role × experts' access × action) so a refusal names the exact reason, privately.
  [VERBS.responseDone]: {
    verb: VERBS.responseDone,
    handle: (ctx, d) => completeAction(customerCtx(ctx), d),
  },
  [VERBS.responseSkip]: {
    verb: VERBS.responseSkip,
    handle: (ctx, d) => askSkip(customerCtx(ctx), d),
  },
  [VERBS.responseSkipConfirm]: {
    verb: VERBS.responseSkipConfirm,
    handle: (ctx, d) => confirmSkip(customerCtx(ctx), d),
  },
  [VERBS.responseRun]: {
    verb: VERBS.responseRun,
    handle: (ctx, d) => askRun(customerCtx(ctx), d),
  },
  [VERBS.responseRunConfirm]: {
    verb: VERBS.responseRunConfirm,
    handle: (ctx, d) => confirmRun(customerCtx(ctx), d),
  },
  [VERBS.responseCancel]: {
    verb: VERBS.responseCancel,
    handle: (ctx, d) => cancelAction(customerCtx(ctx), d),
  },
  // "Was this you?": the flow resolves the customer (an expert's card names it) and the service admits
  // only the person asked to answer.
  [VERBS.userCheckAsk]: { verb: VERBS.userCheckAsk, handle: (ctx, d) => askUser(ctx, d) },
  [VERBS.userCheckAnswer]: { verb: VERBS.userCheckAnswer, handle: (ctx, d) => answerUserCheck(ctx, d) },
  [VERBS.userCheckCancel]: { verb: VERBS.userCheckCancel, handle: (ctx, d) => cancelUserCheck(ctx, d) },
};
