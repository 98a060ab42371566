import { randomUUID } from 'node:crypto';
import type { ConversationRef } from '../../bot/domain/conversation.js';
import { BotError, ChatDeliveryError } from '../../bot/errors.js';
import type { ChatPort, Clock, PostedMessage, Reply } from '../../bot/ports.js';
import { systemClock } from '../../bot/ports.js';

// The dev console's ChatPort: proactive messages (alerts, relayed replies) land in an in-memory feed per
// conversation that the page polls. Bounded, so a long demo cannot grow the process without limit.

/** One line in a post's thread. */
export interface FeedThreadLine {
  readonly messageId: string;
  readonly reply: Reply;
  readonly at: string;
}

/** One top-level post as the page sees it: the current card, how often it was updated, its thread. */
export interface FeedPost {
  readonly messageId: string;
  /** Feed sequence number of the last change to this post (post, update or thread reply). */
  readonly seq: number;
  readonly postedAt: string;
  readonly reply: Reply;
  readonly updates: readonly { readonly at: string }[];
  readonly thread: readonly FeedThreadLine[];
}

/** What `GET /console/api/alerts` answers: posts changed after `since`, and the cursor to ask with next. */
export interface FeedPage {
  readonly conversationId: string;
  readonly seq: number;
  readonly posts: readonly FeedPost[];
}

/** The ChatPort plus the read side the console's HTTP API needs. */
export interface ConsoleChat extends ChatPort {
  feed(conversationId: string, since: number): FeedPage;
}

export interface ConsoleChatOptions {
  /** Posts kept per conversation; the oldest go first (default 500). */
  readonly maxPosts?: number;
  /** Thread lines kept per post (default 200). */
  readonly maxThreadLines?: number;
  readonly clock?: Clock;
}

interface MutablePost {
  messageId: string;
  seq: number;
  postedAt: string;
  reply: Reply;
  updates: { at: string }[];
  thread: FeedThreadLine[];
}

const snapshot = (p: MutablePost): FeedPost => ({
  messageId: p.messageId,
  seq: p.seq,
  postedAt: p.postedAt,
  reply: p.reply,
  updates: [...p.updates],
  thread: [...p.thread],
});

/** Creates the in-memory console chat (one per process; the page reads it through the console router). */
export function createConsoleChat(options: ConsoleChatOptions = {}): ConsoleChat {
  const maxPosts = options.maxPosts ?? 500;
  const maxThreadLines = options.maxThreadLines ?? 200;
  const clock = options.clock ?? systemClock;
  // Insertion-ordered: the first key of a conversation's map is its oldest post.
  const conversations = new Map<string, Map<string, MutablePost>>();
  let seq = 0;

  const checkConversation = (c: ConversationRef): Map<string, MutablePost> => {
    if (c.platform !== 'web' || !c.id.startsWith('web:')) {
      throw new BotError('bad_input', `the console chat only serves web conversations (got ${c.id})`);
    }
    let posts = conversations.get(c.id);
    if (posts === undefined) {
      posts = new Map();
      conversations.set(c.id, posts);
    }
    return posts;
  };

  const postOf = (c: ConversationRef, messageId: string): MutablePost => {
    const post = conversations.get(c.id)?.get(messageId);
    if (post === undefined) {
      // The feed is in memory: after a restart (or eviction) the message is gone, as a deleted post would be.
      throw new ChatDeliveryError(
        'messageGone',
        `message ${messageId} is not in conversation ${c.id} (evicted, or the console restarted)`,
      );
    }
    return post;
  };

  return {
    /** The feed is memory in this process: there is no platform limit to wait for. */
    delayFor: () => 0,

    async post(conversation, message): Promise<PostedMessage> {
      const posts = checkConversation(conversation);
      seq += 1;
      const messageId = `web-msg-${randomUUID()}`;
      posts.set(messageId, {
        messageId,
        seq,
        postedAt: clock.now().toISOString(),
        reply: message,
        updates: [],
        thread: [],
      });
      while (posts.size > maxPosts) {
        const oldest = posts.keys().next();
        if (oldest.done) break;
        posts.delete(oldest.value);
      }
      return { messageId };
    },

    async update(conversation, messageId, message): Promise<void> {
      const post = postOf(conversation, messageId);
      seq += 1;
      post.seq = seq;
      post.reply = message;
      post.updates.push({ at: clock.now().toISOString() });
    },

    async reply(conversation, threadMessageId, message): Promise<PostedMessage> {
      const post = postOf(conversation, threadMessageId);
      seq += 1;
      post.seq = seq;
      const messageId = `web-msg-${randomUUID()}`;
      post.thread.push({ messageId, reply: message, at: clock.now().toISOString() });
      if (post.thread.length > maxThreadLines) post.thread.splice(0, post.thread.length - maxThreadLines);
      return { messageId };
    },

    async directConversation(_workspaceId, userId) {
      // SDMs are named by email and read their direct messages pane; every other persona reads its own chat.
      return userId.includes('@') ? consoleDirectConversation(userId) : consolePersonaChat(userId);
    },
    feed(conversationId, since): FeedPage {
      // A cursor from before a restart is ahead of this process's counter: answer everything again.
      const from = since > seq ? 0 : since;
      const posts = conversations.get(conversationId);
      const changed = posts === undefined ? [] : [...posts.values()].filter((p) => p.seq > from);
      return { conversationId, seq, posts: changed.map(snapshot) };
    },
  };
}

/** The console's stand-in for a customer's alert channel: the Alerts pane shows this conversation. */
export const consoleAlertsConversation = (customerId: string): ConversationRef => ({
  platform: 'web',
  id: `web:alerts:${customerId}`,
  threadId: null,
  kind: 'channel',
});

/** The console's stand-in for a direct message to a person (an SDM's notes). */
export const consoleDirectConversation = (userId: string): ConversationRef => ({
  platform: 'web',
  id: `web:dm:${userId}`,
  threadId: null,
  kind: 'personal',
});

/** A persona's own chat with the bot (what the console page shows as the persona's conversation). */
export const consolePersonaChat = (personaId: string): ConversationRef => ({
  platform: 'web',
  id: `web:${personaId}`,
  threadId: null,
  kind: 'personal',
});

/** The console's stand-in for the provider's experts queue channel. */
export const consoleExpertsQueue: ConversationRef = {
  platform: 'web',
  id: 'web:experts-queue',
  threadId: null,
  kind: 'channel',
};
