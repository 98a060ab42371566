import type { Activity, InvokeResponse } from 'botbuilder';
import type { Reply } from '../../../bot/ports.js';
import type { AdaptiveCard } from '../../../cards/types.js';
import { MAX_REFRESH_USERS, type Regeneration } from './refresh.js';

// Pure converters from the core's replies to Teams activities and invoke responses. Cards go out as they
// are, plus two Teams-specific additions: a refresh block (user-specific views) and, on every
// Action.Execute, an Action.Submit fallback for clients older than Adaptive Cards 1.4.

/** Content types Teams expects for card attachments and for the two kinds of invoke response. */
export const CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';
export const MESSAGE_RESPONSE_TYPE = 'application/vnd.microsoft.activity.message';

/** Teams shows `summary` in notifications, the activity feed and search; long text is cut there anyway. */
const SUMMARY_MAX = 1000;

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Copies a JSON value, giving every Action.Execute without a fallback an equivalent Action.Submit. */
function withSubmitFallbacks(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withSubmitFallbacks);
  if (!isRecord(node)) return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) out[key] = withSubmitFallbacks(value);
  if (out.type === 'Action.Execute' && out.fallback === undefined && typeof out.verb === 'string') {
    out.fallback = {
      type: 'Action.Submit',
      title: typeof out.title === 'string' ? out.title : 'Open',
      data: { verb: out.verb, data: isRecord(out.data) ? out.data : {} },
      // A Cancel sends no input: older clients must not hold it back on an empty required field.
      ...(out.associatedInputs === undefined ? {} : { associatedInputs: out.associatedInputs }),
    };
  }
  return out;
}

/**
 * A form drawn over its source card for the clicker alone: each of its buttons says so (`inPlace`), so the
 * submit's answer can give that card back instead of leaving the form there (cards/question-verbs.ts).
 */
export function drawnInPlace(card: AdaptiveCard): AdaptiveCard {
  const mark = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(mark);
    if (!isRecord(node)) return node;
    const out: Json = {};
    for (const [key, value] of Object.entries(node)) out[key] = mark(value);
    if (out.type === 'Action.Execute') out.data = { ...(isRecord(out.data) ? out.data : {}), inPlace: true };
    return out;
  };
  return mark(card) as AdaptiveCard;
}

const clip = (s: string, max: number): string => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

/**
 * The card as Teams receives it: Submit fallbacks everywhere, and a refresh block — the card's own refresh
 * action if its builder declared one, else the given regeneration — listing at most 60 user ids (an empty
 * list means "refresh on request only", which Teams requires rather than an absent list).
 */
export function teamsCard(
  card: AdaptiveCard,
  regeneration: Regeneration | null,
  userIds: readonly string[],
): AdaptiveCard {
  const copy = withSubmitFallbacks(card) as AdaptiveCard;
  const own = isRecord(card.refresh) && isRecord(card.refresh.action) ? card.refresh : null;
  const action =
    own !== null
      ? own.action
      : regeneration === null
        ? null
        : { type: 'Action.Execute', verb: regeneration.verb, data: regeneration.data };
  if (action === null) return copy;
  const listed: unknown[] = Array.isArray(own?.userIds) ? own.userIds : [...new Set(userIds)];
  return { ...copy, refresh: { action, userIds: listed.slice(-MAX_REFRESH_USERS) } };
}

const xml = (t: string): string => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * A text reply that mentions one person (the on-call responder of an aging handoff): the core's "@name"
 * becomes `<at>name</at>` with its mention entity; everything else is escaped, so only that one mention is live.
 */
export function mentionActivity(text: string, mention: NonNullable<Reply['mention']>): Partial<Activity> {
  const tag = `<at>${xml(mention.name)}</at>`;
  const escaped = xml(text);
  const plain = `@${xml(mention.name)}`;
  const body = escaped.includes(plain) ? escaped.replace(plain, tag) : `${tag} ${escaped}`;
  return {
    type: 'message',
    text: body,
    textFormat: 'xml',
    entities: [{ type: 'mention', text: tag, mentioned: { id: mention.id, name: mention.name } }],
  };
}

/** A reply as a message activity: a card attachment with the fallback text as summary, or plain text. */
export function replyActivity(
  reply: Reply,
  regeneration: Regeneration | null,
  userIds: readonly string[],
): Partial<Activity> {
  if (reply.card === null) {
    if (reply.mention !== undefined) return mentionActivity(reply.text, reply.mention);
    // Plain: Teams would otherwise render user-supplied text as markdown (links, mentions).
    return { type: 'message', text: reply.text, textFormat: 'plain' };
  }
  return {
    type: 'message',
    summary: clip(reply.text, SUMMARY_MAX),
    attachments: [{ contentType: CARD_CONTENT_TYPE, content: teamsCard(reply.card, regeneration, userIds) }],
  };
}

/** Invoke response that replaces the clicked card, for the person who clicked. */
export const cardInvokeResponse = (card: AdaptiveCard): InvokeResponse => ({
  status: 200,
  body: { statusCode: 200, type: CARD_CONTENT_TYPE, value: card },
});

/** Invoke response that shows a short message to the person who clicked (never empty: Teams would retry). */
export const messageInvokeResponse = (text: string): InvokeResponse => ({
  status: 200,
  body: { statusCode: 200, type: MESSAGE_RESPONSE_TYPE, value: clip(text.trim() || 'Done.', 500) },
});
