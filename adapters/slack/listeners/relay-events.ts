import { conversationRef } from '../conversation-ids.js';
import { type Rec, rec, text } from './common.js';
import { type InboundDeps, type Installed, slackToPlain, type TurnRequest } from './slack-inbound.js';

// Slack message events the relay needs beyond commands: people's messages in channels and
// threads (message.channels / message.groups / message.mpim), their edits (subtype message_changed) and
// deletions (message_deleted), and DM thread replies. Each becomes a Turn with the message's ts as its id,
// its thread, and whether it addressed the bot; the core decides whether it is relayed.

/** Slack's "1700000000.000100" as ISO-8601 (the relay orders a thread's messages by it). */
export function tsToIso(ts: string | null): string | undefined {
  if (ts === null || !/^\d{1,12}(\.\d{1,8})?$/.test(ts)) return undefined;
  const [s, frac = '0'] = ts.split('.');
  const ms = Number(s) * 1000 + Math.floor(Number(`0.${frac}`) * 1000);
  return new Date(ms).toISOString();
}

const SUBTYPES_OF_PEOPLE = new Set(['file_share', 'thread_broadcast']);

const files = (m: Rec): number => (Array.isArray(m.files) ? m.files.length : 0);

/** True when the text @mentions the bot: app_mention carries it, so the message copy is skipped. */
export const mentionsBot = (raw: string | null, botUserId: string | undefined): boolean =>
  raw !== null && botUserId !== undefined && raw.includes(`<@${botUserId}`);

/**
 * Converts a message event into a turn for the relay, or null when it is not one (bots, the bot's own
 * posts, joins, a mention already delivered as app_mention, a DM message handled as a command).
 */
export function relayTurnOf(
  event: Rec,
  eventId: string,
  installed: Installed,
  botUserId: string | undefined,
): Omit<TurnRequest, keyof Installed> | null {
  const subtype = text(event.subtype);
  const channel = text(event.channel);
  const channelType = text(event.channel_type);
  if (channel === null) return null;
  let m: Rec;
  let change: 'edited' | 'deleted' | undefined;
  let messageId: string | null;
  let sentAt: string | undefined;
  if (subtype === 'message_changed') {
    m = rec(event.message);
    change = 'edited';
    messageId = text(m.ts);
    sentAt = tsToIso(text(rec(m.edited).ts) ?? text(event.ts));
    // Unfurls and other edits that are not the author's own change nothing the other side should see.
    if (rec(m.edited).ts === undefined) return null;
  } else if (subtype === 'message_deleted') {
    m = rec(event.previous_message);
    change = 'deleted';
    messageId = text(event.deleted_ts);
    sentAt = tsToIso(text(event.ts));
  } else if (subtype === null || SUBTYPES_OF_PEOPLE.has(subtype)) {
    m = event;
    messageId = text(event.ts);
    sentAt = tsToIso(messageId);
  } else return null;
  const user = text(m.user);
  if (user === null || messageId === null || m.bot_id !== undefined || event.bot_id !== undefined)
    return null;
  const raw = text(m.text);
  const im = channelType === 'im';
  // A new DM message is a command (the im listener handles it); a mention arrives as app_mention too.
  if (change === undefined && (im || mentionsBot(raw, botUserId))) return null;
  const threadTs = text(m.thread_ts);
  const inThread = threadTs !== null && threadTs !== messageId ? threadTs : null;
  return {
    deliveryId: eventId,
    user: { userId: user, userTeam: text(m.user_team) ?? text(m.team), displayName: null },
    conversation: conversationRef(installed.installation, channel, inThread, channelType),
    input: {
      kind: 'message',
      text: change === 'deleted' ? '' : slackToPlain(raw ?? '', botUserId),
      attachmentCount: files(m),
      messageId,
      ...(sentAt === undefined ? {} : { sentAt }),
      ...(change === undefined ? {} : { change }),
      addressed: im,
    },
    // Notices (attachments not relayed, the top-level hint) go to the message's thread.
    target: {
      kind: 'channel',
      channel,
      threadTs: inThread ?? messageId,
      messageTs: null,
      asker: { user, responseUrl: null },
    },
  };
}

export type { InboundDeps };
