import type { Principal } from '../../../bot/domain/actor.js';
import type { ConversationRef } from '../../../bot/domain/conversation.js';
import type { Turn } from '../../../bot/ports.js';
import { encodeConversationId, kindOf, splitThread, type TeamsAddress } from './conversation-id.js';

// Pure converters from Teams activities to the core's Turn. Teams decides who and where (tenant, AAD
// object id, conversation); the text is the user's with the bot's @mention cut out. Nothing here talks to
// the network, so every rule is unit-tested against captured activities.

/** A Teams account as activities carry it (conversationUpdate senders have no name). */
export interface TeamsAccount {
  readonly id?: string;
  readonly name?: string;
  readonly aadObjectId?: string;
}

/**
 * The slice of an activity the converters read: botbuilder's Activity satisfies it, and so does captured
 * JSON, whose optional fields botbuilder's typings would call required.
 */
export interface TeamsActivity {
  readonly type?: string;
  readonly id?: string;
  readonly name?: string;
  readonly text?: string;
  readonly serviceUrl?: string;
  readonly channelId?: string;
  readonly replyToId?: string;
  /** When Teams received the message (ISO-8601, UTC): the relay orders a thread by it. */
  readonly timestamp?: string | Date;
  readonly from?: TeamsAccount;
  readonly recipient?: TeamsAccount;
  readonly conversation?: {
    readonly id?: string;
    readonly tenantId?: string;
    readonly conversationType?: string;
    readonly isGroup?: boolean;
  };
  readonly entities?: ReadonlyArray<{ readonly type?: string; readonly [key: string]: unknown }>;
  readonly attachments?: ReadonlyArray<{ readonly contentType?: string }>;
  readonly channelData?: unknown;
  readonly value?: unknown;
}

/** Where and from whom an activity came, in core terms plus what Teams needs to answer later. */
export interface TeamsOrigin {
  readonly principal: Principal;
  readonly conversation: ConversationRef;
  readonly address: TeamsAddress;
  /** The sender's Teams user id (MRI, "29:…"): what Adaptive Card refresh.userIds lists. */
  readonly memberId: string;
}

/** A converted turn, or why the activity is not one (ignored, never answered). */
export type Conversion =
  | {
      readonly ok: true;
      readonly turn: Turn;
      readonly origin: TeamsOrigin;
      /** 'automatic' for the Universal Actions refresh a client sends when it shows a card. */
      readonly trigger: 'manual' | 'automatic';
    }
  | { readonly ok: false; readonly reason: string };

type Json = Readonly<Record<string, unknown>>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Why an activity whose two tenant ids disagree is refused (logged, never answered). */
export const TENANTS_DISAGREE = 'channelData.tenant.id and conversation.tenantId disagree';

/**
 * True when the activity names two different tenants. The tenant decides the customer, so an activity
 * that cannot say which one it belongs to is refused rather than resolved either way.
 */
export function tenantsDisagree(activity: TeamsActivity): boolean {
  const channelData: unknown = activity.channelData;
  const fromChannel =
    isRecord(channelData) && isRecord(channelData.tenant) ? text(channelData.tenant.id) : '';
  const ofConversation = text(activity.conversation?.tenantId);
  return fromChannel !== '' && ofConversation !== '' && fromChannel !== ofConversation;
}

/** Reads tenant, user and conversation; null when the activity lacks what every Teams activity has. */
export function originOf(activity: TeamsActivity): TeamsOrigin | null {
  const from = activity.from;
  const conv = activity.conversation;
  if (!from?.id || !conv?.id || !activity.serviceUrl || tenantsDisagree(activity)) return null;
  const channelData: unknown = activity.channelData;
  const tenantFromChannel =
    isRecord(channelData) && isRecord(channelData.tenant) ? text(channelData.tenant.id) : '';
  const tenantId = text(conv.tenantId) || tenantFromChannel;
  const { base, messageId } = splitThread(conv.id);
  const kind = kindOf(conv.conversationType, conv.isGroup);
  const address: TeamsAddress = { tenantId, conversationId: base, serviceUrl: activity.serviceUrl };
  return {
    principal: {
      platform: 'teams',
      // Customers list responders by AAD object id; a sender without one (never a Teams user) matches no role.
      userId: text(from.aadObjectId) || from.id,
      workspaceId: tenantId,
      displayName: text(from.name) || 'Teams user',
    },
    conversation: {
      platform: 'teams',
      id: encodeConversationId(address),
      threadId: kind === 'channel' ? messageId : null,
      kind,
    },
    address,
    memberId: from.id,
  };
}

/** The activity's timestamp as ISO-8601 (botbuilder may have parsed it into a Date), if valid. */
export function timestampOf(activity: TeamsActivity): string | undefined {
  const t = activity.timestamp;
  const ms = t instanceof Date ? t.getTime() : typeof t === 'string' ? Date.parse(t) : Number.NaN;
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** The platform delivery id: activity ids are unique only within a conversation. */
export const deliveryIdOf = (activity: TeamsActivity): string =>
  `${activity.conversation?.id ?? ''}|${activity.id ?? ''}`;

function mentionsOfRecipient(activity: TeamsActivity): Json[] {
  const botId = activity.recipient?.id;
  return (activity.entities ?? []).filter(
    (e): e is typeof e & Json =>
      e.type === 'mention' && isRecord(e.mentioned) && botId !== undefined && e.mentioned.id === botId,
  );
}

/** True when the message @mentions the bot (channels and group chats answer only then). */
export const mentionsBot = (activity: TeamsActivity): boolean => mentionsOfRecipient(activity).length > 0;

/** Teams' own message limit is about 28 KB; longer text did not come from a Teams client. */
export const TEAMS_TEXT_CAP = 40_000;
/** A person mentions the bot once or twice; each mention costs a pass over the text, so only so many count. */
const MENTIONS_CONSIDERED = 10;

/** The message text without the bot's @mention(s), entities decoded and whitespace tidied. */
export function stripBotMention(activity: TeamsActivity): string {
  let out = text(activity.text).slice(0, TEAMS_TEXT_CAP);
  for (const mention of mentionsOfRecipient(activity).slice(0, MENTIONS_CONSIDERED)) {
    const name = isRecord(mention.mentioned) ? text(mention.mentioned.name) : '';
    for (const tag of [text(mention.text), name === '' ? '' : `<at>${name}</at>`]) {
      if (tag !== '') out = out.split(tag).join(' ');
    }
  }
  return out
    .replace(/&nbsp;/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

// Teams attaches the formatted message itself as text/html, and quoted cards as card attachments; only the
// rest (files, images, references to files in channels) are things the user attached.
const NOT_USER_FILES = /^(text\/html|application\/vnd\.microsoft\.card\.)/i;

/** How many files or images the user attached. */
export const attachmentCountOf = (activity: TeamsActivity): number =>
  (activity.attachments ?? []).filter((a) => !NOT_USER_FILES.test(text(a.contentType))).length;

/** Action.Submit (clients without Universal Actions) sends { verb, data } or { verb, ...data } as value. */
function submittedAction(value: unknown): { verb: string; data: Json } | null {
  if (!isRecord(value) || typeof value.verb !== 'string') return null;
  if (isRecord(value.data)) return { verb: value.verb, data: value.data };
  const { verb, msteams: _msteams, ...rest } = value;
  return { verb, data: rest };
}

/** A message activity: typed text, or an Action.Submit fallback click, as a core Turn. */
export function messageToTurn(activity: TeamsActivity): Conversion {
  if (tenantsDisagree(activity)) return { ok: false, reason: TENANTS_DISAGREE };
  const origin = originOf(activity);
  if (origin === null) return { ok: false, reason: 'activity without sender, conversation or serviceUrl' };
  const base = {
    deliveryId: deliveryIdOf(activity),
    principal: origin.principal,
    conversation: origin.conversation,
  };
  const submitted = submittedAction(activity.value);
  if (submitted !== null) {
    return {
      ok: true,
      origin,
      trigger: 'manual',
      turn: { ...base, input: { kind: 'action', verb: submitted.verb, data: submitted.data } },
    };
  }
  // A channel message that does not @mention the bot (delivered with the ChannelMessage.Read.Group
  // permission) may be a reply in a relayed thread: the core reads it for the relay only, never as a command.
  const addressed = origin.conversation.kind === 'personal' || mentionsBot(activity);
  if (!addressed && origin.conversation.kind !== 'channel') {
    return { ok: false, reason: 'group chat message without an @mention of the bot' };
  }
  return {
    ok: true,
    origin,
    trigger: 'manual',
    turn: {
      ...base,
      input: {
        kind: 'message',
        text: stripBotMention(activity),
        attachmentCount: attachmentCountOf(activity),
        ...(activity.id ? { messageId: activity.id } : {}),
        ...(timestampOf(activity) === undefined ? {} : { sentAt: timestampOf(activity) }),
        ...(addressed ? {} : { addressed: false }),
      },
    },
  };
}

/** An adaptiveCard/action invoke carrying an Action.Execute, as a core action Turn. */
export function invokeToTurn(activity: TeamsActivity): Conversion {
  if (tenantsDisagree(activity)) return { ok: false, reason: TENANTS_DISAGREE };
  const origin = originOf(activity);
  if (origin === null) return { ok: false, reason: 'activity without sender, conversation or serviceUrl' };
  const value: unknown = activity.value;
  const action = isRecord(value) ? value.action : undefined;
  if (!isRecord(action) || action.type !== 'Action.Execute' || typeof action.verb !== 'string') {
    return { ok: false, reason: 'adaptiveCard/action without an Action.Execute verb' };
  }
  const data = action.data === undefined || action.data === null ? {} : action.data;
  return {
    ok: true,
    origin,
    trigger: isRecord(value) && value.trigger === 'automatic' ? 'automatic' : 'manual',
    turn: {
      deliveryId: deliveryIdOf(activity),
      principal: origin.principal,
      conversation: origin.conversation,
      // Non-object data cannot be a payload: the core sees none and refuses verbs that need fields.
      input: { kind: 'action', verb: action.verb, data: isRecord(data) ? data : {} },
    },
  };
}
