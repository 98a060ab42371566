import type { ConversationRef } from '../../../bot/domain/conversation.js';
import type { Customer, Directory } from '../../../bot/domain/customer.js';
import { ChatDeliveryError } from '../../../bot/errors.js';
import type { ChatPort, Store } from '../../../bot/ports.js';
import type { AffectedUserReach, ReachResult } from '../../../bot/user-check/user-check-ports.js';
import type { UserLookup } from '../../graph/users.js';
import { decodeConversationId, encodeConversationId } from '../conversion/conversation-id.js';

// "Was this you?" on Teams: the person is named by their Entra object id (from the evidence, else Graph
// from their UPN), and asked in a proactive 1:1 chat (Bot Connector createConversation in the customer's
// tenant). That needs the app installed for them (or proactive installation through Graph,
// TeamsAppInstallation.ReadWriteForUser.All, which this bot does not do). Answers are taken only from the
// token-validated aadObjectId the question was sent to.

interface Deps {
  readonly chat: ChatPort;
  readonly directory: Directory;
  readonly store: Store;
  /** UPN → object id through Graph; null when Graph is not configured (then the evidence must carry it). */
  readonly lookup: ((customer: Customer, upn: string) => Promise<UserLookup>) | null;
}

const OBJECT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Creates the Teams reach over the Teams ChatPort (and Graph for UPNs the evidence gives no id for). */
export function createTeamsUserReach(deps: Deps): AffectedUserReach {
  /**
   * An adapter-built id in the customer's tenant to open a 1:1 from: the requester's own Teams conversation
   * when it is in that tenant, else one of the customer's Teams alert channels, else the experts' service URL.
   */
  async function workspaceFor(customer: Customer, via: ConversationRef | null): Promise<string | null> {
    const tenant = customer.teamsTenantId;
    if (tenant === null) return null;
    const own = via?.platform === 'teams' ? decodeConversationId(via.id) : null;
    if (own !== null && own.tenantId === tenant) return via?.id ?? null;
    for (const b of await deps.store.listBindings(customer.id)) {
      const a = b.conversation.platform === 'teams' ? decodeConversationId(b.conversation.id) : null;
      if (a !== null && a.tenantId === tenant) return b.conversation.id;
    }
    const serviceUrl = own?.serviceUrl ?? deps.directory.experts.teamsServiceUrl;
    if (serviceUrl === null || serviceUrl === undefined) return null;
    // Any conversation id will do: the 1:1 is created from the tenant and the service URL alone.
    return encodeConversationId({ tenantId: tenant, conversationId: 'user-check', serviceUrl });
  }

  async function objectIdOf(customer: Customer, upn: string, hint: string | null) {
    if (hint !== null && OBJECT_ID.test(hint))
      return { kind: 'found' as const, objectId: hint.toLowerCase() };
    if (deps.lookup === null)
      return {
        kind: 'unreachable' as const,
        reason:
          'The evidence names them only by UPN and Microsoft Graph is not configured to look up their Entra object id.',
      };
    const found = await deps.lookup(customer, upn);
    switch (found.kind) {
      case 'found':
        return found.enabled
          ? { kind: 'found' as const, objectId: found.objectId }
          : { kind: 'unreachable' as const, reason: 'Their account is disabled in Microsoft Entra.' };
      case 'missing':
        return {
          kind: 'unreachable' as const,
          reason: `No user ${upn} in ${customer.name}'s Microsoft Entra tenant.`,
        };
      case 'denied':
        return {
          kind: 'unreachable' as const,
          reason:
            'The bot’s app registration lacks User.Read.All in the customer’s tenant, so it cannot find them.',
        };
      case 'failed':
        return {
          kind: 'unreachable' as const,
          reason: `Microsoft Graph could not look them up (${found.reason}).`,
        };
    }
  }

  async function open(customer: Customer, userId: string, via: ConversationRef | null) {
    const workspace = await workspaceFor(customer, via);
    if (workspace === null) return null;
    return (await deps.chat.directConversation?.(workspace, userId)) ?? null;
  }

  return {
    async find({ customer, upn, objectId, via }): Promise<ReachResult> {
      if (customer.teamsTenantId === null)
        return { kind: 'unreachable', reason: `${customer.name} has no linked Teams tenant.` };
      const id = await objectIdOf(customer, upn, objectId);
      if (id.kind === 'unreachable') return id;
      try {
        const dm = await open(customer, id.objectId, via);
        if (dm === null)
          return {
            kind: 'unreachable',
            reason: 'No Teams service URL is known for the customer’s tenant yet.',
          };
        return { kind: 'found', userId: id.objectId, dm };
      } catch (error) {
        const failure = error instanceof ChatDeliveryError ? error.failure : 'error';
        return {
          kind: 'unreachable',
          reason: `Teams would not open a chat with them (${failure}): the app must be installed for them (or installed proactively with TeamsAppInstallation.ReadWriteForUser.All).`,
        };
      }
    },
    // The clicker's aadObjectId comes from the token-validated activity and was compared already.
    async confirm(customer, _upn, userId) {
      return customer.teamsTenantId !== null && OBJECT_ID.test(userId);
    },
    dm: (customer, userId, via) => open(customer, userId, via),
  };
}
