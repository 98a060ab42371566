import type { AffectedUserReach } from '../../bot/user-check/user-check-ports.js';
import { consoleDirectConversation, consolePersonaChat } from './console-chat.js';
import { consoleAffectedUser } from './personas.js';

// The dev console's "Was this you?" reach: the simulation's people are invented, so each customer's
// "affected user" persona plays whoever an incident names. Only that persona may answer: the core compares
// the clicking persona's id with the one the question was sent to, like a Teams or Slack user id.

/** The console's reach: any person the evidence names is the customer's affected-user persona. */
export function createConsoleUserReach(): AffectedUserReach {
  return {
    async find({ customer }) {
      const userId = consoleAffectedUser(customer.id);
      return { kind: 'found', userId, dm: consoleDirectConversation(userId) };
    },
    async confirm(customer, _upn, userId) {
      return userId === consoleAffectedUser(customer.id);
    },
    async dm(_customer, userId) {
      return consolePersonaChat(userId);
    },
  };
}
