import { VERBS, type Verb } from '../../cards/verbs.js';
import type { Command, CommandName } from '../commands/command.js';
import { BotError } from '../errors.js';
import { subscribe, unsubscribe } from './channel-alerts.js';
import { comingSoon } from './coming-soon.js';
import type { CommandRoute, CustomerContext, FlowContext, VerbRoute } from './context.js';
import { showHelp } from './help.js';
import { listIncidents, showIncident, showSummary } from './incident-status.js';

// The one place flows are registered, each with its authorization requirement beside it
// (CONVENTIONS habit 3). A missing or duplicate registration throws at start-up instead of logging.

function customerCtx(ctx: FlowContext): CustomerContext {
  if (ctx.customer === null)
    throw new BotError('forbidden', 'customer-scoped route reached without a customer');
  return ctx as CustomerContext;
}

const PORTAL = 'Meanwhile, use the Microsoft Defender portal (security.microsoft.com).';

type Routes = { readonly [N in CommandName]: CommandRoute<N> };

const routes: Routes = {
  help: {
    command: 'help',
    requires: 'anyone',
    available: true,
    usage: 'help',
    description: 'What I can do for you',
    handle: (ctx) => showHelp(ctx, commandRoutes),
  },
  summary: {
    command: 'summary',
    requires: 'customer',
    available: true,
    usage: 'summary',
    description: 'Defender Experts summary: what awaits your action, what the experts are investigating',
    handle: (ctx) => showSummary(customerCtx(ctx)),
  },
  incidents: {
    command: 'incidents',
    requires: 'customer',
    available: true,
    usage: 'incidents [open|awaiting|investigating|resolved|all] [high|medium|low]',
    description: 'List incidents (default: open)',
    handle: (ctx, c) => listIncidents(customerCtx(ctx), { ...c, mode: 'new' }),
  },
  incident: {
    command: 'incident',
    requires: 'customer',
    available: true,
    usage: 'incident <id>',
    description: 'One incident: status, classification, comments and history, guided response',
    handle: (ctx, c) => showIncident(customerCtx(ctx), c.id, c.allComments, 'new'),
  },
  ask: {
    command: 'ask',
    requires: 'customer',
    available: false,
    usage: 'ask <question> · ask incident <id> <question>',
    description: 'Ask Defender Experts a question',
    handle: async () => comingSoon('Ask Defender Experts', `${PORTAL} Use "Ask Defender Experts" there.`),
  },
  questions: {
    command: 'questions',
    requires: 'customer',
    available: false,
    usage: 'questions',
    description: 'Your open questions to the experts and their state',
    handle: async () => comingSoon('the question list', PORTAL),
  },
  sdm: {
    command: 'sdm',
    requires: 'customer',
    available: false,
    usage: 'sdm · sdm <message>',
    description: 'Your service delivery manager; send them a message',
    handle: async () => comingSoon('SDM contact', 'Meanwhile, email your service delivery manager directly.'),
  },
  escalate: {
    command: 'escalate',
    requires: 'customer',
    available: false,
    usage: 'escalate <message>',
    description: 'Escalate to your SDM',
    handle: async () =>
      comingSoon('escalation to your SDM', 'Meanwhile, email or call your service delivery manager.'),
  },
  report: {
    command: 'report',
    requires: 'anyone',
    available: false,
    usage: 'report [7d|30d|90d|YYYY-MM]',
    description: 'Service report with chart and CSV',
    handle: async () => comingSoon('reports', PORTAL),
  },
  checkin: {
    command: 'checkin',
    requires: 'anyone',
    available: false,
    usage: 'checkin · checkin start <customer> (SDM)',
    description: 'Readiness check-in checklist',
    handle: async () => comingSoon('readiness check-ins', 'Meanwhile, your SDM runs check-ins by email.'),
  },
  subscribe: {
    command: 'subscribe',
    requires: 'admin',
    available: true,
    usage: 'subscribe [all|handoff|resolved|tp|comments|actions…] [oncall <id>] (admin, in a channel)',
    description: 'Post incident alerts to this channel (default: handoffs and true positives resolved)',
    handle: (ctx, c) => subscribe(customerCtx(ctx), c),
  },
  unsubscribe: {
    command: 'unsubscribe',
    requires: 'admin',
    available: true,
    usage: 'unsubscribe (admin, in a channel)',
    description: 'Stop incident alerts in this channel',
    handle: (ctx) => unsubscribe(customerCtx(ctx)),
  },
};

/** All command routes, in help order. */
export const commandRoutes: readonly CommandRoute[] = Object.values(routes) as CommandRoute[];

/** Runs the route registered for a parsed command (the router has already checked `requires`). */
export function routeFor(command: Command): CommandRoute {
  const route = (routes as Record<string, CommandRoute | undefined>)[command.name];
  if (route === undefined) throw new BotError('bad_input', `no route for command ${command.name}`);
  return route;
}

type VerbRoutes = { readonly [V in Verb]: VerbRoute<V> };

/** Card actions, by verb; their data was validated by parseActionPayload before a handler sees it. */
export const verbRoutes: VerbRoutes = {
  [VERBS.help]: { verb: VERBS.help, requires: 'anyone', handle: (ctx) => showHelp(ctx, commandRoutes) },
  [VERBS.incidentsList]: {
    verb: VERBS.incidentsList,
    requires: 'customer',
    handle: (ctx, d) => listIncidents(customerCtx(ctx), { ...d, mode: 'replace' }),
  },
  [VERBS.incidentShow]: {
    verb: VERBS.incidentShow,
    requires: 'customer',
    handle: (ctx, d) => showIncident(customerCtx(ctx), d.id, false, 'new'),
  },
  [VERBS.incidentComments]: {
    verb: VERBS.incidentComments,
    requires: 'customer',
    handle: (ctx, d) => showIncident(customerCtx(ctx), d.id, true, 'replace'),
  },
};
