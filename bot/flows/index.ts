import { VERBS, type Verb } from '../../cards/verbs.js';
import { ALL_COMMANDS } from '../commands/registry.js';
import { customerCtx, type VerbRoute } from './context.js';
import { askRun, askSkip, cancelAction, completeAction, confirmRun, confirmSkip } from './guided-response.js';
import { showHelp } from './help.js';
import { listIncidents, showIncident } from './incident-status.js';
import { markMessagesRead, showMessages } from './messages.js';
import { questionVerbRoutes } from './questions-routes.js';
import { sdmVerbRoutes } from './sdm-routes.js';

// Card actions, registered by verb; who may click each is in the role × verb table
// (bot/authz/permissions.ts), keyed by the same verbs, so no route can exist without an entry. Chat commands
// are registered in bot/commands/registry.ts.

type VerbRoutes = { readonly [V in Verb]: VerbRoute<V> };

/** Card actions, by verb; their data was validated by parseActionPayload before a handler sees it. */
export const verbRoutes: VerbRoutes = {
  [VERBS.help]: { verb: VERBS.help, handle: (ctx) => showHelp(ctx, ALL_COMMANDS) },
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
};
