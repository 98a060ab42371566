import { MAX_REFRESH_USERS } from '../conversion/refresh.js';

// Who we have seen in each conversation, for Adaptive Card refresh.userIds: in a channel or group chat
// Teams refreshes a card automatically only for the (at most 60) users listed. We list the people who
// most recently talked to the bot or joined there — the ones likely to look at its cards — without
// fetching rosters from Teams (that would be one more rate-limited call per card). In memory and bounded;
// after a restart lists refill as people talk, and everyone else can still refresh from the card's menu.

export interface MemberRoster {
  /** Records that a user (Teams MRI, "29:…") was active in a conversation (keyed by its core id). */
  seen(conversationId: string, memberId: string): void;
  /** Removes a user who left. */
  left(conversationId: string, memberId: string): void;
  /** The most recently active users, newest last, at most 60. */
  recent(conversationId: string): readonly string[];
}

/** Creates a roster remembering at most `maxConversations` conversations (least recently used go first). */
export function createMemberRoster(maxConversations = 5_000): MemberRoster {
  const byConversation = new Map<string, string[]>();
  const touch = (conversationId: string): string[] => {
    const list = byConversation.get(conversationId) ?? [];
    byConversation.delete(conversationId);
    byConversation.set(conversationId, list);
    while (byConversation.size > maxConversations) {
      const oldest = byConversation.keys().next();
      if (oldest.done) break;
      byConversation.delete(oldest.value);
    }
    return list;
  };
  return {
    seen(conversationId, memberId) {
      if (memberId === '') return;
      const list = touch(conversationId);
      const at = list.indexOf(memberId);
      if (at >= 0) list.splice(at, 1);
      list.push(memberId);
      if (list.length > MAX_REFRESH_USERS) list.splice(0, list.length - MAX_REFRESH_USERS);
    },
    left(conversationId, memberId) {
      const list = byConversation.get(conversationId);
      const at = list?.indexOf(memberId) ?? -1;
      if (list !== undefined && at >= 0) list.splice(at, 1);
    },
    recent(conversationId) {
      return [...(byConversation.get(conversationId) ?? [])];
    },
  };
}
