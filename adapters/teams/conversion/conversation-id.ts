import type { ConversationRef } from '../../../bot/domain/conversation.js';

// The Teams conversation id scheme. The core treats ConversationRef.id as opaque and stores it in channel
// bindings, so the id itself carries everything a proactive post needs later, with no side table:
//
//   teams:<tenant id>:<conversation id>:<service URL>      (each part percent-encoded)
//
// The conversation id is the *base* id: for channels the ";messageid=…" thread suffix is cut off (it goes
// to ConversationRef.threadId), so a channel has one id whatever thread a command came from. The service
// URL is Teams' regional endpoint for that tenant; it is checked against the allowlist again before every
// use, so a stored id can never send the token elsewhere.

/** What the adapter needs to reach a conversation. */
export interface TeamsAddress {
  readonly tenantId: string;
  /** Base conversation id ("19:…@thread.tacv2", "a:1…", "19:…@thread.v2"), without ";messageid=". */
  readonly conversationId: string;
  readonly serviceUrl: string;
}

const PREFIX = 'teams:';
const THREAD_SUFFIX = ';messageid=';

/** Builds the opaque ConversationRef id. */
export function encodeConversationId(address: TeamsAddress): string {
  return (
    PREFIX + [address.tenantId, address.conversationId, address.serviceUrl].map(encodeURIComponent).join(':')
  );
}

/** Reads an id built by encodeConversationId; null for anything else (another platform, a forged id). */
export function decodeConversationId(id: string): TeamsAddress | null {
  if (!id.startsWith(PREFIX)) return null;
  const parts = id.slice(PREFIX.length).split(':');
  if (parts.length !== 3) return null;
  try {
    const [tenantId, conversationId, serviceUrl] = parts.map(decodeURIComponent) as [string, string, string];
    if (conversationId === '' || serviceUrl === '') return null;
    return { tenantId, conversationId: splitThread(conversationId).base, serviceUrl };
  } catch {
    return null;
  }
}

/** Splits a Teams conversation id into its base and the thread root message id, if any. */
export function splitThread(conversationId: string): {
  readonly base: string;
  readonly messageId: string | null;
} {
  const at = conversationId.indexOf(THREAD_SUFFIX);
  if (at < 0) return { base: conversationId, messageId: null };
  const messageId = conversationId.slice(at + THREAD_SUFFIX.length);
  return { base: conversationId.slice(0, at), messageId: messageId === '' ? null : messageId };
}

/** The conversation id Teams uses for one thread of a channel. */
export const threadConversationId = (base: string, messageId: string): string =>
  `${base}${THREAD_SUFFIX}${messageId}`;

/** Maps Teams' conversationType (and isGroup for older payloads) to the core's kind. */
export function kindOf(conversationType: unknown, isGroup: unknown): ConversationRef['kind'] {
  if (conversationType === 'channel') return 'channel';
  if (conversationType === 'groupChat') return 'group';
  if (conversationType === 'personal') return 'personal';
  return isGroup === true ? 'group' : 'personal';
}

/** Teams' conversationType for the core's kind (what a conversation reference carries). */
export function conversationTypeOf(kind: ConversationRef['kind']): 'personal' | 'channel' | 'groupChat' {
  return kind === 'group' ? 'groupChat' : kind;
}
