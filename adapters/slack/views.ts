import type { Reply } from '../../bot/ports.js';
import { ASK_BUTTON, ASK_MODAL, CARD_MODAL, HOME_BUTTON } from './app-contract.js';
import { mrkdwn, plain, SLACK_LIMITS, type SlackBlock, type SlackView } from './block-kit.js';
import { verbOf } from './card-actions.js';
import { hasInputs } from './card-inputs.js';
import { cardMarkdownToPlain, escapeMrkdwn } from './mrkdwn.js';
import { paginate } from './paginate.js';
import { cardUnits, newNonce, VIEW_BUDGET } from './render-card.js';
import { isRecord, list, sectionUnits, str, type Unit } from './render-context.js';

// Modals and the Home tab: a card (or a ShowCard's card) as a modal whose submit button sends the card's
// action with the inputs; the Ask Defender Experts form; the Home tab built from the core's replies.
// Where an answer goes after a modal is carried in private_metadata, so no state is kept between requests.

/** Where answers from a modal go: the conversation it was opened from (or the user's DM when none). */
export interface Origin {
  /** Conversation id ("slack:…") when opened from a message. */
  readonly c: string | null;
  /** Channel kind hint ("im", "channel"). */
  readonly k: string | null;
  /** Thread root to answer in. */
  readonly t: string | null;
  /** response_url of an ephemeral message the modal came from. */
  readonly r: string | null;
}

/** What a card modal's submit sends back. */
export interface ModalMeta {
  readonly o: Origin;
  readonly v: string | null;
  readonly d: unknown;
}

/** No origin: answers go to the user's DM (shortcuts, the Home tab). */
export const NO_ORIGIN: Origin = { c: null, k: null, t: null, r: null };

/** Parses private_metadata; a malformed one yields no action and no origin (answers go to the DM). */
export function parseMeta(raw: string | undefined): ModalMeta {
  try {
    const m: unknown = JSON.parse(raw ?? '');
    if (!isRecord(m) || !isRecord(m.o)) return { o: NO_ORIGIN, v: null, d: {} };
    const o = m.o;
    const s = (v: unknown): string | null => (typeof v === 'string' ? v : null);
    return { o: { c: s(o.c), k: s(o.k), t: s(o.t), r: s(o.r) }, v: s(m.v), d: m.d ?? {} };
  } catch {
    return { o: NO_ORIGIN, v: null, d: {} };
  }
}

function metaString(meta: ModalMeta): string {
  const full = JSON.stringify(meta);
  if (full.length <= SLACK_LIMITS.privateMetadata) return full;
  // The response_url is the longest part and the only one there is a fallback for (the DM).
  const shorter = JSON.stringify({ ...meta, o: { ...meta.o, r: null } });
  if (shorter.length <= SLACK_LIMITS.privateMetadata) return shorter;
  // Data too large to carry: the submit then answers "cannot use that", never a truncated payload.
  return JSON.stringify({ o: { ...meta.o, r: null }, v: meta.v === null ? null : '', d: {} });
}

/** A modal title from the card's first text, else the product name (Slack allows 24 characters). */
function titleOf(card: unknown, fallback: string): string {
  const first = isRecord(card)
    ? list(card.body).find((e) => isRecord(e) && e.type === 'TextBlock')
    : undefined;
  const text = isRecord(first) ? cardMarkdownToPlain(str(first.text) ?? '').trim() : '';
  return text === '' ? fallback : text;
}

/**
 * A card as a modal. With inputs, the card's first Execute/Submit action becomes the modal's submit button
 * (Slack requires one) and is sent back through private_metadata; the other actions stay buttons.
 */
export function cardModal(
  card: unknown,
  origin: Origin,
  title: string | null,
  nonce = newNonce(),
): SlackView {
  const c = isRecord(card) ? card : { body: [] };
  const actions = list(c.actions);
  const form = hasInputs(list(c.body));
  const submitIndex = form
    ? actions.findIndex((a) => isRecord(a) && (a.type === 'Action.Execute' || a.type === 'Action.Submit'))
    : -1;
  const submit =
    submitIndex >= 0 && isRecord(actions[submitIndex])
      ? (actions[submitIndex] as Record<string, unknown>)
      : null;
  const rest = actions.filter((_, i) => i !== submitIndex);
  const units = cardUnits({ ...c, actions: rest }, { surface: 'modal', nonce });
  const pages = paginate(
    units,
    VIEW_BUDGET,
    false,
    '⋯ This view is cut short: Slack allows only so much in one view.',
  );
  const meta: ModalMeta = {
    o: origin,
    v: submit === null ? (form ? '' : null) : verbOf(submit),
    d: submit?.data ?? {},
  };
  return {
    type: 'modal',
    callback_id: CARD_MODAL,
    title: plain(title ?? titleOf(card, 'Defender Experts'), SLACK_LIMITS.modalTitle),
    close: plain('Close', SLACK_LIMITS.modalButton),
    ...(form ? { submit: plain(str(submit?.title) ?? 'Send', SLACK_LIMITS.modalButton) } : {}),
    blocks: pages.first,
    private_metadata: metaString(meta),
  };
}

/** Block ids of the Ask form's two inputs. */
export const ASK_FIELDS = { incident: 'ask:incident', question: 'ask:question' } as const;

/** The Ask Defender Experts form: question and optional incident, with the service notice. */
export function askModal(origin: Origin): SlackView {
  const notice =
    'Defender Experts answer questions about your incidents and the service. *This is not an incident-response line*: for an active emergency, use the contact in your service agreement.';
  const blocks: SlackBlock[] = [
    { type: 'section', text: mrkdwn(notice) },
    {
      type: 'input',
      block_id: ASK_FIELDS.question,
      label: plain('Your question', SLACK_LIMITS.inputLabel),
      optional: false,
      element: { type: 'plain_text_input', action_id: 'dxb:in', multiline: true, max_length: 3000 },
    },
    {
      type: 'input',
      block_id: ASK_FIELDS.incident,
      label: plain('Incident number (optional)', SLACK_LIMITS.inputLabel),
      optional: true,
      element: {
        type: 'plain_text_input',
        action_id: 'dxb:in',
        placeholder: plain('e.g. 42', 150),
        max_length: 64,
      },
    },
  ];
  return {
    type: 'modal',
    callback_id: ASK_MODAL,
    title: plain('Ask Defender Experts', SLACK_LIMITS.modalTitle),
    submit: plain('Send', SLACK_LIMITS.modalButton),
    close: plain('Cancel', SLACK_LIMITS.modalButton),
    blocks,
    private_metadata: metaString({ o: origin, v: null, d: {} }),
  };
}

/** Units of several replies in a row (cards rendered, plain text as sections), with distinct ids. */
export function replyUnits(replies: readonly Reply[], surface: 'home' | 'modal'): Unit[] {
  return replies.flatMap((reply, i) => {
    const own =
      reply.card === null
        ? sectionUnits(escapeMrkdwn(reply.text))
        : cardUnits(reply.card, { surface, nonce: `${newNonce()}${i}`, seq: i * 1000 });
    return i === 0 ? own : [{ block: { type: 'divider' } as SlackBlock, pinned: false }, ...own];
  });
}

/** The Home tab's own buttons (the summary card brings its "Defender Experts" title). */
const homeHead = (back: boolean): Unit[] => [
  {
    pinned: true,
    block: {
      type: 'actions',
      elements: [
        ...(back
          ? [{ type: 'button' as const, text: plain('← Summary', 75), action_id: HOME_BUTTON, value: 'home' }]
          : []),
        {
          type: 'button',
          text: plain('Ask Defender Experts', 75),
          action_id: ASK_BUTTON,
          value: 'ask',
          style: 'primary',
        },
      ],
    },
  },
];

/** The Home tab: header and buttons, then the core's replies (summary and incidents, or what was opened). */
export function homeView(replies: readonly Reply[], back: boolean): SlackView {
  const pages = paginate(
    [...homeHead(back), ...replyUnits(replies, 'home')],
    VIEW_BUDGET,
    false,
    '⋯ Cut short: Slack allows only so much on the Home tab. Send `/experts incidents` for the full list.',
  );
  return { type: 'home', blocks: pages.first };
}

/** Several replies as one modal (what a button inside a modal answers with). */
export function repliesModal(replies: readonly Reply[], origin: Origin): SlackView {
  const first = replies.find((r) => r.card !== null)?.card ?? null;
  if (replies.length === 1 && first !== null) return cardModal(first, origin, null);
  const pages = paginate(replyUnits(replies, 'modal'), VIEW_BUDGET, false, '⋯ This view is cut short.');
  return {
    type: 'modal',
    callback_id: CARD_MODAL,
    title: plain(titleOf(first, 'Defender Experts'), SLACK_LIMITS.modalTitle),
    close: plain('Close', SLACK_LIMITS.modalButton),
    blocks: pages.first,
    private_metadata: metaString({ o: origin, v: null, d: {} }),
  };
}
