import type { Actor, Role } from '../domain/actor.js';

// Who may use a command or a card verb, as values the definitions name in their `requires`
// (bot/commands/defs, bot/actions/defs). Kept apart from the derived tables (permissions.ts) so a
// definition can name a grant without loading the registry that lists it.

/** A role, or 'member': any linked person, including the provider's people without a role. */
export type Grantee = Role | 'member';

export interface Permission {
  readonly who: readonly Grantee[];
  /** Refused privately in one line naming this ("Not done: only … can act on …") instead of a notice card. */
  readonly doing?: string;
  /** Which records the flow then lets a permitted caller reach; shown in the docs' table. */
  readonly scope: string;
}

/** A customer's own people, in any of their roles. */
export const CUSTOMER: readonly Role[] = ['analyst', 'responder', 'admin'];
const OWN = 'own customer';
const OWN_OR_SDM = 'own customer; an SDM: the customers they manage';

/** Any linked person; the answer holds nothing of a customer. */
export const anyone: Permission = { who: ['member'], scope: 'nothing of a customer' };
/** A customer's people, limited to their own customer (or the scope named). */
export const customers = (scope = OWN): Permission => ({ who: CUSTOMER, scope });
export const customersAndSdm: Permission = { who: [...CUSTOMER, 'sdm'], scope: OWN_OR_SDM };
export const guidedResponse: Permission = {
  who: ['responder', 'admin'],
  doing: 'act on guided response',
  scope: OWN,
};
// Threads and requests: a customer's own; an expert works across customers; an SDM sees those they manage.
export const messagesScope: Permission = {
  who: [...CUSTOMER, 'expert', 'sdm'],
  scope: 'own customer; an expert: every customer; an SDM: the customers they manage',
};
// One customer's views from the provider's side: the flow narrows an SDM to their customers, a customer's
// people to their own.
export const providerViews: Permission = {
  who: [...CUSTOMER, 'expert', 'sdm'],
  scope: 'an expert: any customer; an SDM: the customers they manage; a customer: its own',
};
export const admins: Permission = { who: ['admin'], scope: 'own customer, in a channel' };
/** A customer's people for their own questions; experts for the queue. */
export const askersAndExperts: Permission = {
  who: [...CUSTOMER, 'expert'],
  scope: 'own questions; an expert: the queue',
};

/** Whether this caller holds one of the permission's roles. Unlinked callers hold none. */
export function permits(actor: Actor, permission: Permission): boolean {
  if (!actor.linked) return false;
  return permission.who.some((g) => g === 'member' || actor.roles.has(g));
}
