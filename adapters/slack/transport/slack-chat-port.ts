import type { ChatPort, Logger, PostedMessage, Reply } from '../../../bot/ports.js';
import { conversationRef, parseConversation } from '../conversation-ids.js';
import type { SlackBlock } from '../render/block-kit.js';
import type { SlackAudience } from '../slack-audience.js';
import { type MessageParts, writeContinuation } from './continuation.js';
import { paceKeyFor, type SlackApi } from './slack-api.js';
import { THREAD_NOTE, toMessage } from './slack-deliver.js';
import { toDeliveryError } from './slack-errors.js';
import type { TokenSource } from './slack-installations.js';

// The alert pipeline's ChatPort for Slack: post, update in place, reply in thread, open a DM. Paced to about
// one message per second per channel by the API layer's pacer, which `delayFor` exposes so the dispatcher
// can ask instead of pacing on its own; a 429 blocks the channel for Retry-After and is reported as
// 'throttled' (ChatDeliveryError) so the dispatcher retries later instead of this call sleeping.

export interface SlackChatPortDeps {
  readonly api: SlackApi;
  readonly tokens: TokenSource;
  readonly logger: Logger;
  /** Whether a channel is shared with other organisations (the alert pipeline asks before posting). */
  readonly audience?: SlackAudience;
  /** The continuation messages of long cards, so an update redraws them in place. */
  readonly parts: MessageParts;
}

/** Creates the ChatPort; shares the API layer (and its pacer) with the inbound listeners. */
export function createSlackChatPort(deps: SlackChatPortDeps): ChatPort {
  const { api } = deps;

  async function send(
    installation: string,
    channel: string,
    method: string,
    args: Record<string, unknown>,
  ): Promise<string | null> {
    let token: string;
    try {
      token = await deps.tokens(installation);
    } catch (error) {
      throw toDeliveryError(error, method, true);
    }
    const result = await api.call(
      token,
      method,
      { channel, ...args },
      { paceKey: paceKeyFor(installation, channel, method) },
    );
    return typeof result.ts === 'string' ? result.ts : null;
  }

  /** Continuation pages go to the thread; a failure there is logged, not thrown (the card itself is out). */
  async function continuation(
    installation: string,
    channel: string,
    cardTs: string,
    root: string,
    pages: readonly (readonly SlackBlock[])[],
  ): Promise<void> {
    try {
      const token = await deps.tokens(installation);
      await writeContinuation(
        { api, token, installation, parts: deps.parts, logger: deps.logger },
        channel,
        cardTs,
        root,
        pages,
      );
    } catch (error) {
      deps.logger.warn({ err: error, channel }, 'Slack: continuation of a long card was not written');
    }
  }

  async function postTo(
    conversationId: string,
    threadTs: string | null,
    message: Reply,
  ): Promise<PostedMessage> {
    const { installation, channel } = parseConversation({ platform: 'slack', id: conversationId });
    const m = toMessage(message, THREAD_NOTE);
    const ts = await send(installation, channel, 'chat.postMessage', {
      blocks: m.blocks,
      text: m.text,
      unfurl_links: false,
      unfurl_media: false,
      ...(threadTs === null ? {} : { thread_ts: threadTs }),
    });
    if (ts === null) throw toDeliveryError(new Error('chat.postMessage returned no ts'), 'chat.postMessage');
    await continuation(installation, channel, ts, threadTs ?? ts, m.continuation);
    return { messageId: ts };
  }

  return {
    delayFor(conversation, kind = 'post') {
      const { installation, channel } = parseConversation(conversation);
      return api.delayFor(
        paceKeyFor(installation, channel, kind === 'update' ? 'chat.update' : 'chat.postMessage'),
      );
    },

    post(conversation, message) {
      return postTo(conversation.id, conversation.threadId, message);
    },

    async update(conversation, messageId, message) {
      const { installation, channel } = parseConversation(conversation);
      const m = toMessage(message, THREAD_NOTE);
      await send(installation, channel, 'chat.update', { ts: messageId, blocks: m.blocks, text: m.text });
      await continuation(
        installation,
        channel,
        messageId,
        conversation.threadId ?? messageId,
        m.continuation,
      );
    },

    reply(conversation, threadMessageId, message) {
      return postTo(conversation.id, threadMessageId, message);
    },

    async directConversation(workspaceId, userId) {
      let token: string;
      try {
        token = await deps.tokens(workspaceId);
      } catch (error) {
        throw toDeliveryError(error, 'conversations.open', true);
      }
      const opened = await api.call(token, 'conversations.open', { users: userId });
      const id = (opened.channel as { id?: unknown } | undefined)?.id;
      return typeof id === 'string' ? conversationRef(workspaceId, id, null, 'im') : null;
    },

    async audience(conversation) {
      const { installation, channel } = parseConversation(conversation);
      if (deps.audience === undefined) return { kind: 'unknown', reason: 'no audience lookup configured' };
      let token: string;
      try {
        token = await deps.tokens(installation);
      } catch {
        return { kind: 'unknown', reason: 'no token for the installation' };
      }
      return deps.audience.factsFor(token, installation, channel);
    },
  };
}
