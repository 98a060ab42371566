import type { Platform } from '../domain/actor.js';
import type { ConversationRef } from '../domain/conversation.js';
import type { Customer } from '../domain/customer.js';
import type { ChatPort } from '../ports.js';

// How the bot reaches a customer's SDM: the SDM is one of the provider's people, so their direct messages
// live in the provider's workspaces (the experts' Slack team or Teams tenant), never in the customer's.
// Shared by SDM contact (the relay) and the alert pipeline's note about aging handoffs.

/**
 * Where the provider's people are reached per platform: what ChatPort.directConversation takes as its
 * workspace (the experts' Slack team; for Teams, an adapter-built conversation id of the experts' tenant,
 * which carries the service URL).
 */
export type ProviderWorkspaces = Readonly<Record<Platform, string | null>>;

/** The SDM's direct conversation: on the customer's platform first, then Teams, Slack, the dev console. */
export async function reachSdm(
  customer: Customer,
  workspaces: ProviderWorkspaces,
  chatFor: (p: Platform) => ChatPort | undefined,
  prefer: Platform,
): Promise<ConversationRef | null> {
  const sdm = customer.sdm;
  if (sdm === null) return null;
  const options: Record<Platform, { workspace: string | null; user: string | null }> = {
    teams: { workspace: workspaces.teams, user: sdm.teamsUserId },
    slack: { workspace: workspaces.slack, user: sdm.slackUserId },
    web: { workspace: workspaces.web, user: sdm.email },
  };
  const order: Platform[] = [prefer, ...(['teams', 'slack', 'web'] as const).filter((p) => p !== prefer)];
  for (const p of order) {
    const o = options[p];
    const chat = chatFor(p);
    if (o.workspace === null || o.user === null || chat?.directConversation === undefined) continue;
    const dm = await chat.directConversation(o.workspace, o.user);
    if (dm !== null) return dm;
  }
  return null;
}
