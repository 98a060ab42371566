import type { Conversion, TeamsActivity } from './teams-inbound.js';
import { attachmentCountOf, deliveryIdOf, originOf, stripBotMention, timestampOf } from './teams-inbound.js';

// Teams activities the relay needs beyond commands: an edit of a message (type messageUpdate,
// channelData.eventType editMessage) and a deletion (type messageDelete, eventType softDeleteMessage). The
// activity id is the changed message's id; the thread comes from the conversation id (";messageid=<root>").

type Json = Readonly<Record<string, unknown>>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Teams' own name for the change, from channelData.eventType. */
const eventTypeOf = (activity: TeamsActivity): string | null => {
  const data: unknown = activity.channelData;
  return isRecord(data) && typeof data.eventType === 'string' ? data.eventType : null;
};

/** A messageUpdate (edit) or messageDelete activity as a core turn the relay reads; anything else: not one. */
export function changeToTurn(activity: TeamsActivity): Conversion {
  const origin = originOf(activity);
  if (origin === null) return { ok: false, reason: 'activity without sender, conversation or serviceUrl' };
  const id = activity.id;
  if (!id) return { ok: false, reason: 'message change without the message id' };
  const eventType = eventTypeOf(activity);
  const edited = activity.type === 'messageUpdate' && (eventType === null || eventType === 'editMessage');
  const deleted =
    activity.type === 'messageDelete' && (eventType === null || eventType === 'softDeleteMessage');
  if (!edited && !deleted)
    return { ok: false, reason: `message change ${eventType ?? 'unknown'} is not relayed` };
  const sentAt = timestampOf(activity);
  const change = edited ? 'edited' : 'deleted';
  return {
    ok: true,
    origin,
    trigger: 'manual',
    turn: {
      // The change has the message's own id: the delivery id says which change it is.
      deliveryId: `${deliveryIdOf(activity)}|${change}|${sentAt ?? ''}`,
      principal: origin.principal,
      conversation: origin.conversation,
      input: {
        kind: 'message',
        text: edited ? stripBotMention(activity) : '',
        attachmentCount: edited ? attachmentCountOf(activity) : 0,
        messageId: id,
        ...(sentAt === undefined ? {} : { sentAt }),
        change,
        addressed: false,
      },
    },
  };
}
