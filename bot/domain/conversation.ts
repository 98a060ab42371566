import type { Platform } from './actor.js';

// Where a message goes. Ids are namespaced strings built only by the adapter that owns the platform
// ("slack:T…:C…", "teams:…", "web:…"); the core treats them as opaque.

export interface ConversationRef {
  readonly platform: Platform;
  /** Opaque, adapter-built id of the conversation (channel, chat, DM). */
  readonly id: string;
  /** Opaque id of the thread root inside the conversation, if the message is in a thread. */
  readonly threadId: string | null;
  readonly kind: 'personal' | 'channel' | 'group';
}

/** A channel that receives alerts for one customer. */
export interface ChannelBinding {
  readonly id: string;
  readonly customerId: string;
  readonly conversation: ConversationRef;
  /** Lifecycle events that post to this channel. */
  readonly events: readonly string[];
  /** Who to mention when a handoff ages (a user or group id of the platform), if any. */
  readonly onCall: string | null;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly paused: boolean;
}
