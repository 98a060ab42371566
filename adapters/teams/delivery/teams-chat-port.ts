import type { Activity, CloudAdapter, ConversationParameters, TurnContext } from 'botbuilder';
import type { ConnectorClient } from 'botframework-connector';
import type { ConversationRef } from '../../../bot/domain/conversation.js';
import { BotError } from '../../../bot/errors.js';
import type { ChatPort, PostedMessage, Reply } from '../../../bot/ports.js';
import { assertServiceUrl } from '../auth/service-url.js';
import {
  conversationTypeOf,
  decodeConversationId,
  encodeConversationId,
  splitThread,
  type TeamsAddress,
  threadConversationId,
} from '../conversion/conversation-id.js';
import { replyActivity } from '../conversion/teams-outbound.js';
import type { TeamsSettings } from '../teams-settings.js';
import type { MemberRoster } from './members.js';
import type { MemberPage, TeamsAudience } from './teams-audience.js';
import { activityGoneError, type Delivery } from './teams-delivery.js';

// Proactive messages for the core (alerts, relayed replies): a new post in a channel starts a thread
// (createConversationAsync), an update edits that post in place, a reply lands in its thread. Each call
// goes through the allowlist check first and the paced, retrying delivery layer second; that layer's pacer
// is the only one for Teams, and `delayFor` lets the alert pipeline ask it.

export interface TeamsChatPortDeps {
  readonly adapter: CloudAdapter;
  readonly settings: TeamsSettings;
  readonly delivery: Delivery;
  readonly roster: MemberRoster;
  readonly audience: TeamsAudience;
}

/** Creates the Teams ChatPort. */
export function createTeamsChatPort(deps: TeamsChatPortDeps): ChatPort {
  const { adapter, settings, delivery, roster } = deps;
  const bot = { id: `28:${settings.appId}`, name: 'Defender Experts' };

  const addressOf = (conversation: ConversationRef): TeamsAddress => {
    const address = conversation.platform === 'teams' ? decodeConversationId(conversation.id) : null;
    if (address === null)
      throw new BotError('bad_input', 'not a Teams conversation id built by the Teams adapter');
    assertServiceUrl(address.serviceUrl, settings.serviceUrlCheck);
    return address;
  };

  /** The message as Teams receives it; proactive cards are refreshed only if their builder asked for it. */
  const activityFor = (conversation: ConversationRef, message: Reply): Partial<Activity> => ({
    ...replyActivity(message, null, roster.recent(conversation.id)),
    from: bot,
  });

  /** Runs `call` with an authenticated connector client for one conversation id, paced and retried. */
  function withConnector<T>(
    conversation: ConversationRef,
    address: TeamsAddress,
    conversationId: string,
    what: string,
    call: (client: ConnectorClient) => Promise<T>,
    idempotent = false,
  ): Promise<T> {
    const reference = {
      channelId: 'msteams',
      serviceUrl: address.serviceUrl,
      bot,
      conversation: {
        id: conversationId,
        tenantId: address.tenantId,
        conversationType: conversationTypeOf(conversation.kind),
        isGroup: conversation.kind !== 'personal',
        name: '',
      },
    };
    return delivery.send(
      { conversationKey: conversation.id, tenantId: address.tenantId },
      what,
      async () => {
        let result: { value: T } | null = null;
        await adapter.continueConversationAsync(settings.appId, reference, async (context: TurnContext) => {
          const client = context.turnState.get(context.adapter.ConnectorClientKey) as ConnectorClient;
          result = { value: await call(client) };
        });
        if (result === null)
          throw new BotError('platform_error', `${what}: the conversation was not continued`);
        return (result as { value: T }).value;
      },
      { idempotent },
    );
  }

  /** Creates a conversation (a channel post, a 1:1 chat) through the pacer; its id, or '' if none came back. */
  async function createConversation(
    address: TeamsAddress,
    parameters: ConversationParameters,
    lane: Parameters<typeof delivery.send>[0],
    what: string,
    options?: Parameters<typeof delivery.send>[3],
  ): Promise<string> {
    let created = '';
    await delivery.send(
      lane,
      what,
      () =>
        adapter.createConversationAsync(
          settings.appId,
          'msteams',
          address.serviceUrl,
          settings.oauthScope,
          parameters,
          async (context) => {
            created = context.activity.conversation.id;
          },
        ),
      options,
    );
    return created;
  }

  async function postToChannel(conversation: ConversationRef, address: TeamsAddress, message: Reply) {
    const parameters = {
      isGroup: true,
      bot,
      tenantId: address.tenantId,
      channelData: { channel: { id: address.conversationId }, tenant: { id: address.tenantId } },
      activity: activityFor(conversation, message) as Activity,
    } as ConversationParameters;
    const created = await createConversation(
      address,
      parameters,
      { conversationKey: conversation.id, tenantId: address.tenantId },
      'posting to a Teams channel',
    );
    const messageId = splitThread(created).messageId;
    if (messageId === null)
      throw new BotError('platform_error', 'Teams did not return the id of the new channel post');
    return { messageId };
  }

  return {
    /** Who reads a stored conversation now (alerts, relayed replies, reports ask before each post). */
    async audience(conversation) {
      const address = addressOf(conversation);
      return deps.audience.factsFor(conversation, (conversationId, continuationToken) =>
        withConnector(
          conversation,
          address,
          conversationId,
          'reading Teams members',
          async (client): Promise<MemberPage> =>
            client.conversations.getConversationPagedMembers(conversationId, {
              pageSize: 500,
              continuationToken: continuationToken ?? '',
            }),
        ),
      );
    },

    delayFor(conversation) {
      const address = conversation.platform === 'teams' ? decodeConversationId(conversation.id) : null;
      if (address === null) return 0;
      return delivery.delayFor({ conversationKey: conversation.id, tenantId: address.tenantId });
    },

    async post(conversation, message): Promise<PostedMessage> {
      const address = addressOf(conversation);
      if (conversation.kind === 'channel') return postToChannel(conversation, address, message);
      const sent = await withConnector(
        conversation,
        address,
        address.conversationId,
        'posting in Teams',
        (client) =>
          client.conversations.sendToConversation(address.conversationId, activityFor(conversation, message)),
      );
      if (!sent.id) throw new BotError('platform_error', 'Teams did not return the id of the new message');
      return { messageId: sent.id };
    },

    async update(conversation, messageId, message): Promise<void> {
      const address = addressOf(conversation);
      const conversationId =
        conversation.kind === 'channel'
          ? threadConversationId(address.conversationId, conversation.threadId ?? messageId)
          : address.conversationId;
      // An update replaces the whole activity: repeating it changes nothing, so it may be retried.
      await withConnector(
        conversation,
        address,
        conversationId,
        'updating a Teams message',
        (client) =>
          client.conversations.updateActivity(conversationId, messageId, {
            ...activityFor(conversation, message),
            id: messageId,
          }),
        true,
      ).catch((error: unknown) => {
        throw activityGoneError(error, messageId);
      });
    },

    async reply(conversation, threadMessageId, message): Promise<PostedMessage> {
      const address = addressOf(conversation);
      const activity = activityFor(conversation, message);
      // Channels thread by conversation id; chats have no threads, so the reply quotes its root instead.
      // A 404 means the root was deleted (activityGoneError).
      const sent = await (conversation.kind === 'channel'
        ? withConnector(
            conversation,
            address,
            threadConversationId(address.conversationId, threadMessageId),
            'replying in a Teams thread',
            (client) =>
              client.conversations.sendToConversation(
                threadConversationId(address.conversationId, threadMessageId),
                activity,
              ),
          )
        : withConnector(conversation, address, address.conversationId, 'replying in Teams', (client) =>
            client.conversations.replyToActivity(address.conversationId, threadMessageId, {
              ...activity,
              replyToId: threadMessageId,
            }),
          )
      ).catch((error: unknown) => {
        throw activityGoneError(error, threadMessageId);
      });
      if (!sent.id) throw new BotError('platform_error', 'Teams did not return the id of the reply');
      return { messageId: sent.id };
    },

    /**
     * A 1:1 chat with a user (an SDM, an on-call person). `workspaceId` is a Teams conversation id of the same
     * tenant (it carries the service URL, which a tenant id alone does not); anything else answers null.
     */
    async directConversation(workspaceId, userId): Promise<ConversationRef | null> {
      const address = decodeConversationId(workspaceId);
      if (address === null || userId === '') return null;
      assertServiceUrl(address.serviceUrl, settings.serviceUrlCheck);
      const parameters = {
        isGroup: false,
        bot,
        members: [{ id: userId }],
        tenantId: address.tenantId,
        channelData: { tenant: { id: address.tenantId } },
      } as unknown as ConversationParameters;
      // Opening a 1:1 chat answers the same chat each time: safe to repeat after an unclear failure.
      const created = await createConversation(
        address,
        parameters,
        { conversationKey: `teams-dm:${address.tenantId}:${userId}`, tenantId: address.tenantId },
        'opening a Teams chat',
        { idempotent: true },
      );
      if (created === '') return null;
      const conversationId = encodeConversationId({ ...address, conversationId: created });
      return { platform: 'teams', id: conversationId, threadId: null, kind: 'personal' };
    },
  };
}
