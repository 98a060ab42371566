import { decideAudience } from '../audience.js';
import { WEB_EXPERTS_WORKSPACE, webCustomerWorkspace } from '../authz/resolve-actor.js';
import type { ChannelBinding, ConversationRef } from '../domain/conversation.js';
import type { Directory } from '../domain/customer.js';
import { ChatDeliveryError } from '../errors.js';
import type { ChatPort, PostedMessage, Reply } from '../ports.js';

// A conversation chosen for a customer earlier (an alert binding, a relayed thread) can since have been
// shared with other organisations (a Slack Connect invitation accepted later). Before anything of the
// customer is posted there, the platform is asked again who reads it, by the same rule as answers.

/** Whose conversation it is: the customer's own, or the provider's (the experts' queue, an SDM's channel). */
export type ConversationOwner = 'customer' | 'provider';

/**
 * Throws a ChatDeliveryError when `conversation` may not carry `customerId`'s data now. The same holds on
 * the provider's side: an experts' channel that also holds another customer must not show this one's
 * questions.
 */
export async function assertMayCarry(
  directory: Directory,
  chat: ChatPort,
  conversation: ConversationRef,
  customerId: string,
  owner: ConversationOwner = 'customer',
): Promise<void> {
  if (chat.audience === undefined || conversation.kind === 'personal') return;
  const customer = directory.customers.find((c) => c.id === customerId);
  const experts = directory.experts;
  const own =
    conversation.platform === 'slack'
      ? owner === 'provider'
        ? experts.slackTeamId
        : customer?.slackTeamId
      : conversation.platform === 'teams'
        ? owner === 'provider'
          ? experts.teamsTenantId
          : customer?.teamsTenantId
        : owner === 'provider'
          ? WEB_EXPERTS_WORKSPACE
          : webCustomerWorkspace(customerId);
  const facts = await chat.audience(conversation);
  if (facts.kind === 'unknown')
    throw new ChatDeliveryError('transient', `who reads the conversation cannot be told: ${facts.reason}`);
  if (!decideAudience(directory, conversation.platform, own ?? '', facts).mayCarry(customerId))
    throw new ChatDeliveryError('shared', 'the conversation is shared with other organisations');
}

/** The same check for an alert binding. */
export const assertMayPost = (directory: Directory, chat: ChatPort, binding: ChannelBinding): Promise<void> =>
  assertMayCarry(directory, chat, binding.conversation, binding.customerId);

/**
 * Posts a top-level message of the binding's customer into its channel, only where that customer's data may
 * still be said: every feature that writes into bound channels (reports, check-ins, reminders) goes here.
 */
export async function postToBinding(
  directory: Directory,
  chat: ChatPort,
  binding: ChannelBinding,
  message: Reply,
): Promise<PostedMessage> {
  await assertMayPost(directory, chat, binding);
  return chat.post({ ...binding.conversation, threadId: null }, message);
}
