import type { TurnState } from '@microsoft/teams-ai';
// The Application alone, not the package index: the index also loads teams-ai's AI half (planners, model
// clients, tokenizer tables) which this bot never uses — about 26 MB of memory and a tenth of a second.
import { Application } from '@microsoft/teams-ai/lib/Application.js';
import { type Activity, ActivityTypes, type InvokeResponse, type TurnContext } from 'botbuilder';
import type { ConnectorClient } from 'botframework-connector';
import type { Bot } from '../../bot/bot.js';
import type { Directory } from '../../bot/domain/customer.js';
import { createIncidentLinks } from '../../bot/links/incident-links.js';
import type { ChatPort, Logger, Reply, Store, Turn } from '../../bot/ports.js';
import { cardReply } from '../../bot/replies.js';
import { FORM_VERBS, SOURCE_REDRAW_VERBS } from '../../cards/verbs.js';
import { askerTurn, registerComposeExtension } from './conversion/compose-extension.js';
import { encodeConversationId } from './conversion/conversation-id.js';
import { type Regeneration, regenerationFor, WELCOME_VERB } from './conversion/refresh.js';
import { changeToTurn } from './conversion/relay-activities.js';
import {
  type Conversion,
  deliveryIdOf,
  invokeToTurn,
  messageToTurn,
  originOf,
  TENANTS_DISAGREE,
  type TeamsOrigin,
} from './conversion/teams-inbound.js';
import {
  cardInvokeResponse,
  drawnInPlace,
  messageInvokeResponse,
  replyActivity,
  teamsCard,
} from './conversion/teams-outbound.js';
import { welcomeFor } from './conversion/teams-welcome.js';
import type { MemberRoster } from './delivery/members.js';
import type { MemberPage, ReadMembers, TeamsAudience } from './delivery/teams-audience.js';
import type { Delivery } from './delivery/teams-delivery.js';

// The Teams conversation as a teams-ai Application: messages and Action.Submit clicks, Universal Actions
// invokes (always answered with a non-empty invoke response), and installation (welcome card). Each
// handler converts (inbound.ts), asks the core, and sends the replies through the paced delivery layer.

export interface HandlerDeps {
  readonly bot: Bot;
  readonly directory: Directory;
  readonly store: Store;
  readonly roster: MemberRoster;
  readonly delivery: Delivery;
  /** Who can read a conversation (shared channels, chats with other tenants). */
  readonly audience: TeamsAudience;
  /** Opens 1:1 chats for answers meant for one person where a message cannot be private. */
  readonly chat: ChatPort;
  readonly logger: Logger;
}

const CARD_ACTION = 'adaptiveCard/action';
const WELCOME_RETAIN_SECONDS = 7 * 24 * 3600;
const SORRY = 'Something went wrong on our side and nothing was changed. Please try again in a minute.';

const isCardAction = (context: TurnContext): boolean =>
  context.activity.type === ActivityTypes.Invoke && context.activity.name === CARD_ACTION;

/** The refresh replays only read-only requests; other cards keep the view their sender saw. */
const WELCOME: Regeneration = { verb: WELCOME_VERB, data: {} };

const setInvokeResponse = (context: TurnContext, value: InvokeResponse): Promise<unknown> =>
  context.sendActivity({ type: ActivityTypes.InvokeResponse, value });

const firstLine = (text: string): string => text.split('\n')[0]?.trim() ?? '';

/** A button answered with a form for the clicker alone (Ask, SDM contact, a skip reason, a check-in item). */
const opensForm = (input: Turn['input']): boolean =>
  input.kind === 'action' && (FORM_VERBS as readonly string[]).includes(input.verb);

/** A form submit whose answer is the shared card the form was opened from (a checklist after an item edit). */
const redrawsSource = (input: Turn['input']): boolean =>
  input.kind === 'action' && (SOURCE_REDRAW_VERBS as readonly string[]).includes(input.verb);

/** Builds the Application with every route the bot answers. */
export function createTeamsApplication(deps: HandlerDeps): Application<TurnState> {
  const { bot, roster, delivery, logger } = deps;

  const send = (context: TurnContext, origin: TeamsOrigin, activity: Partial<Activity>, what: string) =>
    delivery.send({ conversationKey: origin.conversation.id, tenantId: origin.address.tenantId }, what, () =>
      context.sendActivity(activity),
    );

  /** Sends replies as messages; the first card gets the refresh, 'replace' updates `replaceId` if known. */
  async function sendReplies(
    context: TurnContext,
    origin: TeamsOrigin,
    replies: readonly Reply[],
    regeneration: Regeneration | null,
    replaceId: string | null,
  ): Promise<void> {
    const cardIndex = replies.findIndex((r) => r.card !== null);
    const userIds = roster.recent(origin.conversation.id);
    for (const [i, reply] of replies.entries()) {
      const activity = replyActivity(reply, i === cardIndex ? regeneration : null, userIds);
      if (reply.mode === 'replace' && replaceId !== null) {
        await delivery.send(
          { conversationKey: origin.conversation.id, tenantId: origin.address.tenantId },
          'updating a Teams card',
          () => context.updateActivity({ ...activity, id: replaceId }),
          { idempotent: true },
        );
      } else {
        await send(context, origin, activity, 'replying in Teams');
      }
    }
  }

  /**
   * The turn with what the platform says about its readers; in a conversation spanning tenants the
   * sender's own tenant (from the member list) is who they are, whatever tenant the activity carries.
   */
  /** What the platform says about who reads the conversation of an activity. */
  function readersOf(context: TurnContext, origin: TeamsOrigin) {
    const client = context.turnState.get(context.adapter.ConnectorClientKey) as ConnectorClient | undefined;
    const read: ReadMembers = async (conversationId, continuationToken) => {
      if (client === undefined) throw new Error('no connector client for this turn');
      // The typings require a token; the service reads an empty one as "first page".
      const page: MemberPage = await client.conversations.getConversationPagedMembers(conversationId, {
        pageSize: 500,
        continuationToken: continuationToken ?? '',
      });
      return page;
    };
    return deps.audience.inspect(origin, context.activity.channelData, read);
  }

  async function withAudience(context: TurnContext, origin: TeamsOrigin, turn: Turn): Promise<Turn> {
    const { facts, senderTenant } = await readersOf(context, origin);
    const principal =
      senderTenant === null ? turn.principal : { ...turn.principal, workspaceId: senderTenant };
    return { ...turn, principal, audience: facts };
  }

  /**
   * Answers meant for one person, where Teams cannot show a message to one person only (a message, or an
   * Action.Submit click from an older client): a 1:1 chat with them. Never said in the shared conversation.
   */
  async function sendPrivately(origin: TeamsOrigin, tenantId: string, replies: readonly Reply[]) {
    if (replies.length === 0) return;
    const key = encodeConversationId({ ...origin.address, tenantId });
    try {
      const chat = await deps.chat.directConversation?.(key, origin.memberId);
      if (chat === null || chat === undefined) throw new Error('no 1:1 chat could be opened');
      for (const reply of replies) await deps.chat.post(chat, { ...reply, mode: 'new', ephemeral: false });
    } catch (error) {
      // Not delivered is the worst case here: it is never said in the shared conversation instead.
      logger.warn(
        { err: error, conversation: origin.address.conversationId },
        'Teams: private answer not delivered',
      );
    }
  }

  const accepted = (
    conversion: Conversion,
    context: TurnContext,
  ): conversion is Extract<Conversion, { ok: true }> => {
    if (!conversion.ok && conversion.reason === TENANTS_DISAGREE) {
      logger.warn(
        { deliveryId: deliveryIdOf(context.activity) },
        'teams activity refused: tenant ids disagree',
      );
      return false;
    }
    if (!conversion.ok) {
      logger.debug(
        { deliveryId: deliveryIdOf(context.activity), reason: conversion.reason },
        'teams activity ignored',
      );
      return false;
    }
    roster.seen(conversion.origin.conversation.id, conversion.origin.memberId);
    return true;
  };

  async function onMessage(context: TurnContext): Promise<void> {
    const conversion = messageToTurn(context.activity);
    if (!accepted(conversion, context)) return;
    const turn = await withAudience(context, conversion.origin, conversion.turn);
    const replies = await bot.handleTurn(turn);
    // An Action.Submit click (older clients) replaces its card by updating the message it came from, but
    // only with what everyone there may see: a private answer goes to the sender's 1:1 chat instead.
    const replaceId = turn.input.kind === 'action' ? (context.activity.replyToId ?? null) : null;
    const shared = conversion.origin.conversation.kind !== 'personal';
    const open = shared ? replies.filter((r) => r.ephemeral !== true) : replies;
    await sendReplies(context, conversion.origin, open, regenerationFor(turn.input), replaceId);
    if (shared)
      await sendPrivately(
        conversion.origin,
        turn.principal.workspaceId,
        replies.filter((r) => r.ephemeral === true),
      );
  }

  /** Universal Actions: the invoke response is set before returning, so teams-ai adds nothing of its own. */
  async function onExecute(context: TurnContext): Promise<InvokeResponse> {
    const conversion = invokeToTurn(context.activity);
    if (!accepted(conversion, context)) return messageInvokeResponse('This card action is not supported.');
    const { origin, trigger } = conversion;
    const turn = await withAudience(context, origin, conversion.turn);
    const userIds = roster.recent(origin.conversation.id);
    if (turn.input.kind === 'action' && turn.input.verb === WELCOME_VERB) {
      return cardInvokeResponse(
        teamsCard(welcomeFor(deps.directory, origin.principal).card, WELCOME, userIds),
      );
    }
    const replies = await bot.handleTurn(turn);
    // The same delivery again (Teams retries invokes it got no answer to): one effect, still an answer.
    if (replies.length === 0) return messageInvokeResponse('Already done — that click was received twice.');
    const regeneration = regenerationFor(turn.input);
    const first = replies[0] as Reply;
    const card = replies.find((r) => r.card !== null);
    if (trigger === 'automatic') {
      // A refresh only re-draws the card for this viewer; it never posts.
      return card?.card
        ? cardInvokeResponse(teamsCard(card.card, regeneration, userIds))
        : messageInvokeResponse(firstLine(first.text));
    }
    // Teams has no ephemeral messages: what only the clicker may see is the invoke answer, nothing is posted.
    if (first.ephemeral === true && !(first.mode === 'replace' && first.card !== null)) {
      return messageInvokeResponse(first.text.replace(/\s*\n\s*/g, ' — '));
    }
    // A form is the clicker's alone (Slack opens it as a modal): in a channel or group chat it is drawn in
    // place for them, never posted where everyone would see it. A personal chat is theirs alone already.
    // Its submit gives the clicker back the card it was drawn over (or keeps it there with the error).
    if (opensForm(turn.input) && first.card !== null && turn.conversation.kind !== 'personal') {
      return cardInvokeResponse(teamsCard(drawnInPlace(first.card), regeneration, userIds));
    }
    if (first.mode === 'replace' && first.card !== null) {
      const shared = replies.slice(1).filter((r) => r.ephemeral !== true);
      // The invoke answer redraws the card for the clicker only. A shared card redrawn by a form submit is
      // also updated in the conversation, so everyone sees the edit — unless each viewer's refresh
      // (a regeneration) redraws their own view of it.
      const source =
        redrawsSource(turn.input) && regeneration === null ? context.activity.replyToId : undefined;
      await sendReplies(context, origin, source ? [first, ...shared] : shared, null, source ?? null);
      return cardInvokeResponse(teamsCard(first.card, regeneration, userIds));
    }
    if (card === undefined) return messageInvokeResponse(replies.map((r) => r.text).join('\n'));
    await sendReplies(context, origin, replies, regeneration, null);
    return messageInvokeResponse(firstLine(card.text));
  }

  /** Edits and deletions: the relay mirrors them on the other side of a paired thread; nothing is answered. */
  async function onMessageChange(context: TurnContext): Promise<void> {
    const conversion = changeToTurn(context.activity);
    if (!accepted(conversion, context)) return;
    await bot.handleTurn(await withAudience(context, conversion.origin, conversion.turn));
  }

  async function onMembersAdded(context: TurnContext): Promise<void> {
    const activity = context.activity;
    const origin = originOf(activity);
    if (origin === null) return;
    const botId = activity.recipient?.id;
    deps.audience.forget(origin.conversation.id);
    for (const m of activity.membersAdded ?? [])
      if (m.id !== botId) roster.seen(origin.conversation.id, m.id);
    if (!(activity.membersAdded ?? []).some((m) => m.id === botId)) return;
    roster.seen(origin.conversation.id, origin.memberId);
    // conversationUpdate carries no turn for the core, so the welcome has its own idempotency key.
    if (!(await deps.store.claimOnce(`teams:welcome:${deliveryIdOf(activity)}`, WELCOME_RETAIN_SECONDS)))
      return;
    // Everyone in the conversation sees the welcome: it names the customer and a role only where that
    // customer's data may be said (not in a shared channel or chat with another organisation).
    const { facts } = await readersOf(context, origin);
    const welcome = cardReply(welcomeFor(deps.directory, origin.principal, facts));
    await sendReplies(context, origin, [welcome], WELCOME, null);
  }

  async function onMembersRemoved(context: TurnContext): Promise<void> {
    const origin = originOf(context.activity);
    if (origin === null) return;
    deps.audience.forget(origin.conversation.id);
    for (const m of context.activity.membersRemoved ?? []) roster.left(origin.conversation.id, m.id);
  }

  const app = new Application<TurnState>({
    removeRecipientMention: false, // inbound.ts strips exactly the bot's own mention
    startTypingTimer: false, // typing indicators would be extra, rate-limited connector calls
    longRunningMessages: false,
  });
  app.adaptiveCards.actionExecute(
    async (context) => isCardAction(context) && context.activity.value?.action?.type === 'Action.Execute',
    async (context) => {
      await setInvokeResponse(context, await answerInvoke(context, onExecute));
      return '';
    },
  );
  // adaptiveCard/action without an Action.Execute (a malformed or foreign card) still gets an answer.
  app.addRoute(
    async (context) => isCardAction(context),
    async (context) => {
      await setInvokeResponse(context, messageInvokeResponse('This card action is not supported.'));
    },
    true,
  );
  app.conversationUpdate('membersAdded', onMembersAdded);
  app.conversationUpdate('membersRemoved', onMembersRemoved);
  app.activity(ActivityTypes.Message, onMessage);
  app.activity(ActivityTypes.MessageUpdate, onMessageChange);
  app.activity(ActivityTypes.MessageDelete, onMessageChange);
  // Link unfurling and incident search in the compose box: the same audience rule as every answer.
  registerComposeExtension(app, {
    links: createIncidentLinks({ store: deps.store, directory: deps.directory }),
    logger,
    asker: async (context, origin) => {
      const turn = await withAudience(context, origin, askerTurn(origin));
      return { principal: turn.principal, audience: turn.audience };
    },
  });
  return app;

  /** Runs an invoke handler; a failure is logged and still answered (an empty answer makes Teams retry). */
  async function answerInvoke(
    context: TurnContext,
    handler: (context: TurnContext) => Promise<InvokeResponse>,
  ): Promise<InvokeResponse> {
    try {
      return await handler(context);
    } catch (error) {
      logger.error({ err: error, deliveryId: deliveryIdOf(context.activity) }, 'teams card action failed');
      return messageInvokeResponse(SORRY);
    }
  }
}
