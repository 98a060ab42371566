import { VERBS, type Verb } from '../../cards/verbs.js';
import type { CommandName } from '../commands/command.js';
import { commandPermissions } from '../commands/registry.js';
import {
  CUSTOMER,
  customers,
  customersAndSdm,
  guidedResponse,
  messagesScope,
  type Permission,
} from './grants.js';

export { type Grantee, type Permission, permits } from './grants.js';

// Who may use each command and each card verb: one table, role × verb, read by the router before any
// handler runs, by help to list what a person may use, and by the docs generator. The flows then narrow
// by data (a customer's own records, the customers an SDM manages, the asker of a question), never widen.

/** Commands typed in chat: each definition's `requires` (bot/commands/defs), by name. */
export const COMMAND_PERMISSIONS = Object.fromEntries(commandPermissions()) as {
  readonly [N in CommandName]: Permission;
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
};
