import { decideAudience } from '../audience.js';
import { webCustomerWorkspace } from '../authz/resolve-actor.js';
import type { ChannelBinding } from '../domain/conversation.js';
import type { Directory } from '../domain/customer.js';
import { ChatDeliveryError } from '../errors.js';
import type { ChatPort } from '../ports.js';

// A channel bound to a customer's alerts can later be shared with other organisations (a Slack Connect
// invitation accepted after `subscribe`). Before an alert is posted, the conversation is asked again who
// reads it, by the same rule as answers: nothing of the customer is posted where others read.

/** Throws a ChatDeliveryError when this binding's conversation may not carry its customer's data now. */
export async function assertMayPost(
  directory: Directory,
  chat: ChatPort,
  binding: ChannelBinding,
): Promise<void> {
  const conversation = binding.conversation;
  if (chat.audience === undefined || conversation.kind === 'personal') return;
  const customer = directory.customers.find((c) => c.id === binding.customerId);
  const own =
    conversation.platform === 'slack'
      ? customer?.slackTeamId
      : conversation.platform === 'teams'
        ? customer?.teamsTenantId
        : webCustomerWorkspace(binding.customerId);
  const facts = await chat.audience(conversation);
  if (facts.kind === 'unknown')
    throw new ChatDeliveryError('transient', `who reads the channel cannot be told: ${facts.reason}`);
  if (!decideAudience(directory, conversation.platform, own ?? '', facts).mayCarry(binding.customerId))
    throw new ChatDeliveryError('shared', 'the channel is shared with other organisations');
}
