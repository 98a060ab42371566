import type { ConversationRef } from '../../bot/domain/conversation.js';
import { BotError } from '../../bot/errors.js';

// Conversation ids are built only here (opaque to the core): "slack:<installation>:<channel>", where the
// installation is the workspace (T…) or, for an Enterprise Grid org-wide install, the org (E…) whose token
// serves the channel. Thread ids are the root message's ts. The core treats both as opaque.

export interface SlackConversation {
  /** The workspace or org whose installation (token) serves this channel. */
  readonly installation: string;
  readonly channel: string;
}

const ID = /^slack:([TE][A-Z0-9]+):([CDG][A-Z0-9]+)$/;

/** DM channels start with D, multi-person DMs and legacy private channels with G, channels with C. */
export function conversationKind(channel: string, hint?: string | null): ConversationRef['kind'] {
  if (hint === 'im' || channel.startsWith('D')) return 'personal';
  if (hint === 'mpim' || hint === 'group') return 'group';
  return 'channel';
}

/** Builds the core's reference to a Slack channel (and thread, when the message is in one). */
export function conversationRef(
  installation: string,
  channel: string,
  threadTs: string | null,
  kindHint?: string | null,
): ConversationRef {
  return {
    platform: 'slack',
    id: `slack:${installation}:${channel}`,
    threadId: threadTs,
    kind: conversationKind(channel, kindHint),
  };
}

/** Reads back an id this adapter built; anything else is a programming error upstream. */
export function parseConversation(ref: Pick<ConversationRef, 'platform' | 'id'>): SlackConversation {
  const m = ref.platform === 'slack' ? ID.exec(ref.id) : null;
  if (m?.[1] === undefined || m[2] === undefined) {
    throw new BotError('bad_input', `not a Slack conversation id: ${ref.id}`);
  }
  return { installation: m[1], channel: m[2] };
}

/** Whether a Slack message ts looks like one ("1700000000.000100"). */
export const isTs = (v: unknown): v is string => typeof v === 'string' && /^\d{1,12}\.\d{1,8}$/.test(v);
