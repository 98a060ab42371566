import { VERBS, type Verb } from '../../cards/verbs.js';
import type { CommandName } from '../commands/command.js';
import type { Actor, Role } from '../domain/actor.js';

// Who may use each command and each card verb: one table, role × verb, read by the router before any
// handler runs, by help to list what a person may use, and by the docs generator. The flows then narrow
// by data (a customer's own records, the customers an SDM manages, the asker of a question), never widen.

/** A role, or 'member': any linked person, including the provider's people without a role. */
export type Grantee = Role | 'member';

export interface Permission {
  readonly who: readonly Grantee[];
  /** Refused privately in one line naming this ("Not done: only … can act on …") instead of a notice card. */
  readonly doing?: string;
  /** Which records the flow then lets a permitted caller reach; shown in the docs' table. */
  readonly scope: string;
}

const CUSTOMER: readonly Role[] = ['analyst', 'responder', 'admin'];
const OWN = 'own customer';
const OWN_OR_SDM = 'own customer; an SDM: the customers they manage';

const customers = (scope = OWN): Permission => ({ who: CUSTOMER, scope });
const customersAndSdm: Permission = { who: [...CUSTOMER, 'sdm'], scope: OWN_OR_SDM };
const guidedResponse: Permission = {
  who: ['responder', 'admin'],
  doing: 'act on guided response',
  scope: OWN,
};
// Threads and requests: a customer's own; an expert works across customers; an SDM sees those they manage.
const messagesScope: Permission = {
  who: [...CUSTOMER, 'expert', 'sdm'],
  scope: 'own customer; an expert: every customer; an SDM: the customers they manage',
};
// One customer's views from the provider's side: the flow narrows an SDM to their customers, a customer's
// people to their own.
const providerViews: Permission = {
  who: [...CUSTOMER, 'expert', 'sdm'],
  scope: 'an expert: any customer; an SDM: the customers they manage; a customer: its own',
};
const admins: Permission = { who: ['admin'], scope: 'own customer, in a channel' };

/** Commands typed in chat. */
export const COMMAND_PERMISSIONS: { readonly [N in CommandName]: Permission } = {
  help: { who: ['member'], scope: 'nothing of a customer' },
  summary: customers(),
  incidents: customers(),
  incident: customers(),
  find: customers(),
  incidentFor: providerViews,
  summaryFor: providerViews,
  ask: customers(),
  questions: { who: [...CUSTOMER, 'expert'], scope: 'own questions; an expert: the queue' },
  sdm: customers(),
  escalate: customers(),
  report: customersAndSdm,
  checkin: customersAndSdm,
  messages: messagesScope,
  subscribe: admins,
  unsubscribe: admins,
};

/** Card buttons and forms, by verb. */
export const VERB_PERMISSIONS: { readonly [V in Verb]: Permission } = {
  [VERBS.help]: { who: ['member'], scope: 'nothing of a customer' },
  [VERBS.incidentsList]: customers(),
  [VERBS.incidentShow]: customers(),
  [VERBS.incidentComments]: customers(),
  [VERBS.questionForm]: customers(),
  [VERBS.questionAsk]: customers(),
  // Taking a question tells the customer an expert is on it, and shows the question and its asker.
  [VERBS.questionClaim]: { who: ['expert'], scope: 'any question, one at a time' },
  // Opening a request from the queue shows the question and its asker, like taking it.
  [VERBS.questionShow]: { who: ['expert'], scope: 'any question' },
  [VERBS.questionResolve]: {
    who: [...CUSTOMER, 'expert'],
    scope: 'the asker or an admin of its customer; an expert: any question',
  },
  [VERBS.questionsList]: { who: [...CUSTOMER, 'expert'], scope: 'own questions; an expert: the queue' },
  // Passing a held message on: the pair's own rule then admits its customer's people, its experts or its SDM.
  [VERBS.relayReply]: { who: [...CUSTOMER, 'expert', 'sdm'], scope: 'a side of a pair in this conversation' },
  // Withdrawing a message passed on: the flow admits only its sender, for a short while.
  [VERBS.relayUndo]: {
    who: [...CUSTOMER, 'expert', 'sdm'],
    scope: 'a message they passed on, shortly after',
  },
  [VERBS.reportShow]: customersAndSdm,
  [VERBS.reportPost]: { who: ['sdm'], scope: 'the customers they manage' },
  [VERBS.checkinShow]: customersAndSdm,
  [VERBS.checkinItem]: customersAndSdm,
  [VERBS.checkinSave]: customersAndSdm,
  [VERBS.messagesShow]: messagesScope,
  [VERBS.messagesRead]: messagesScope,
  [VERBS.sdmShow]: customers(),
  [VERBS.sdmForm]: customers(),
  [VERBS.sdmSend]: customers(),
  [VERBS.responseDone]: guidedResponse,
  [VERBS.responseSkip]: guidedResponse,
  [VERBS.responseSkipConfirm]: guidedResponse,
  [VERBS.responseRun]: guidedResponse,
  [VERBS.responseRunConfirm]: guidedResponse,
  [VERBS.responseCancel]: guidedResponse,
  // "Was this you?": responders and admins ask about their own incidents, experts about any customer's.
  [VERBS.userCheckAsk]: {
    who: ['responder', 'admin', 'expert'],
    doing: 'ask an affected user',
    scope: 'own customer; an expert: any customer',
  },
  // Any of the customer's people may reach the verb; the flow then admits only the person asked, by the
  // platform identity the question was sent to (Teams Entra object id, Slack user id re-checked by email).
  [VERBS.userCheckAnswer]: { who: CUSTOMER, scope: 'the affected user alone, by validated identity' },
  [VERBS.userCheckCancel]: {
    who: ['responder', 'admin', 'expert'],
    doing: 'withdraw a question to an affected user',
    scope: 'own customer; an expert: any customer; while unanswered',
  },
};

/** Whether this caller holds one of the permission's roles. Unlinked callers hold none. */
export function permits(actor: Actor, permission: Permission): boolean {
  if (!actor.linked) return false;
  return permission.who.some((g) => g === 'member' || actor.roles.has(g));
}
