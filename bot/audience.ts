import { WEB_EXPERTS_WORKSPACE, webCustomerWorkspace } from './authz/resolve-actor.js';
import type { Actor, Platform } from './domain/actor.js';
import type { Directory } from './domain/customer.js';
import type { Reply } from './ports.js';

// Who can read a conversation decides what may be said in it: a customer's data is shown only where every
// organisation present is that customer or the provider. Adapters report the facts their platform gives
// (a DM, or the organisations a shared channel or chat spans); this module alone turns them into the
// decision, so no flow or adapter re-derives the rule at its own call site.

/**
 * What an adapter established about a conversation's readers, from the platform itself (Slack
 * conversations.info, the Bot Connector's member list), never from a field the sender could choose.
 */
export type AudienceFacts =
  /** Only the person and the bot: a DM, a 1:1 chat, the console persona's own page. */
  | { readonly kind: 'private' }
  /** Everyone present belongs to these organisations (Slack team or org ids, Teams tenant ids). */
  | { readonly kind: 'organisations'; readonly organisations: readonly string[] }
  /** The platform could not say who is present (a failed lookup): treated as shared with strangers. */
  | { readonly kind: 'unknown'; readonly reason: string };

/** The decision for one turn. */
export interface Audience {
  /** Only the person sees what is said here. */
  readonly private: boolean;
  /** Customer ids present (besides the provider); empty for a private conversation. */
  readonly customers: ReadonlySet<string>;
  /** An organisation that is neither the provider nor a configured customer, or one that could not be told. */
  readonly strangers: boolean;
  /** Whether this conversation may carry customer `customerId`'s data in everyone's sight. */
  mayCarry(customerId: string): boolean;
}

type Owner = { readonly kind: 'provider' } | { readonly kind: 'customer'; readonly id: string } | null;

function ownerOf(directory: Directory, platform: Platform, organisation: string): Owner {
  const e = directory.experts;
  const providerId =
    platform === 'slack' ? e.slackTeamId : platform === 'teams' ? e.teamsTenantId : WEB_EXPERTS_WORKSPACE;
  if (providerId !== null && providerId === organisation) return { kind: 'provider' };
  const customer = directory.customers.find((c) =>
    platform === 'slack'
      ? c.slackTeamId === organisation
      : platform === 'teams'
        ? c.teamsTenantId === organisation
        : webCustomerWorkspace(c.id) === organisation,
  );
  return customer === undefined ? null : { kind: 'customer', id: customer.id };
}

const PRIVATE: Audience = {
  private: true,
  customers: new Set(),
  strangers: false,
  mayCarry: () => true,
};

/**
 * Decides from the adapter's facts and the person's own organisation (`workspaceId`, taken from their
 * validated identity). Without facts the conversation is taken to hold the person's organisation alone:
 * only surfaces that cannot span organisations (the dev console) may leave them out.
 */
export function decideAudience(
  directory: Directory,
  platform: Platform,
  workspaceId: string,
  facts: AudienceFacts | undefined,
): Audience {
  if (facts?.kind === 'private') return PRIVATE;
  const organisations =
    facts?.kind === 'organisations' ? [...facts.organisations, workspaceId] : [workspaceId];
  const customers = new Set<string>();
  let strangers = facts?.kind === 'unknown';
  for (const org of new Set(organisations)) {
    const owner = ownerOf(directory, platform, org);
    if (owner === null) strangers = true;
    else if (owner.kind === 'customer') customers.add(owner.id);
  }
  return {
    private: false,
    customers,
    strangers,
    mayCarry: (customerId) => !strangers && [...customers].every((c) => c === customerId),
  };
}

/**
 * Whether what this person is answered may be said in everyone's sight here. A customer's person: only
 * where the conversation may carry their customer's data. The provider's people (whose answers can name
 * any customer): only among the provider's own people.
 */
export function mayAnswerOpenly(audience: Audience, actor: Actor): boolean {
  if (audience.private) return true;
  if (actor.customerId !== null) return audience.mayCarry(actor.customerId);
  return !audience.strangers && audience.customers.size === 0;
}

/**
 * Replies to the person alone: adapters deliver `ephemeral` replies privately (Slack ephemeral, the Teams
 * invoke answer or a 1:1 chat) and never let them replace a message others see.
 */
export const confineReplies = (replies: readonly Reply[]): readonly Reply[] =>
  replies.map((r) => (r.ephemeral === true ? r : { ...r, ephemeral: true }));
