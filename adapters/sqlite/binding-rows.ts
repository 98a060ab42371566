import type { ChannelBinding, ConversationRef } from '../../bot/domain/conversation.js';

// How a ChannelBinding maps to its row: keyed by (customer, conversation id); the conversation reference
// and the event list are JSON because the core treats them as opaque values.

export interface BindingRow {
  readonly customer_id: string;
  readonly conversation_id: string;
  readonly id: string;
  readonly conversation: string;
  readonly events: string;
  readonly on_call: string | null;
  readonly created_by: string;
  readonly created_at: string;
  readonly paused: number;
}

/** Row for a binding; conversation_id is the key column, duplicated from the reference. */
export const bindingToRow = (binding: ChannelBinding): BindingRow => ({
  customer_id: binding.customerId,
  conversation_id: binding.conversation.id,
  id: binding.id,
  conversation: JSON.stringify(binding.conversation),
  events: JSON.stringify(binding.events),
  on_call: binding.onCall,
  created_by: binding.createdBy,
  created_at: binding.createdAt,
  paused: binding.paused ? 1 : 0,
});

/** The row back to a ChannelBinding; we wrote the JSON columns, so their shape is ours. */
export const bindingFromRow = (row: BindingRow): ChannelBinding => ({
  id: row.id,
  customerId: row.customer_id,
  conversation: JSON.parse(row.conversation) as ConversationRef,
  events: JSON.parse(row.events) as string[],
  onCall: row.on_call,
  createdBy: row.created_by,
  createdAt: row.created_at,
  paused: row.paused === 1,
});
