import type { Reply } from '../../../bot/ports.js';
import { ASK_BUTTON, CARD_MODAL, HOME_BUTTON } from '../app-contract.js';
import { plain, SLACK_LIMITS, type SlackBlock, type SlackView } from './block-kit.js';
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
  /** The shared message whose button opened the modal: a submit that redraws its source updates it. */
  readonly m?: string | null;
}

/** Checks Slack cannot make itself (texts over its 3,000-character input cap, patterns), by input id. */
export type InputChecks = Readonly<
  Record<string, { readonly max?: number; readonly re?: string; readonly msg?: string }>
>;

/** What a card modal's submit sends back. */
export interface ModalMeta {
  readonly o: Origin;
  readonly v: string | null;
  readonly d: unknown;
  readonly x?: InputChecks;
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
    return {
      o: { c: s(o.c), k: s(o.k), t: s(o.t), r: s(o.r), m: s(o.m) },
      v: s(m.v),
      d: m.d ?? {},
      x: checksOf(m.x),
    };
  } catch {
    return { o: NO_ORIGIN, v: null, d: {} };
  }
}

function checksOf(raw: unknown): InputChecks {
  if (!isRecord(raw)) return {};
  const out: Record<string, { max?: number; re?: string; msg?: string }> = {};
  for (const [id, c] of Object.entries(raw)) {
    if (!isRecord(c)) continue;
    out[id] = {
      ...(typeof c.max === 'number' ? { max: c.max } : {}),
      ...(typeof c.re === 'string' ? { re: c.re } : {}),
      ...(typeof c.msg === 'string' ? { msg: c.msg } : {}),
    };
  }
  return out;
}

/** The checks a card's text inputs need on Slack: a length over Slack's cap, or a pattern. */
function inputChecks(elements: readonly unknown[]): InputChecks {
  const out: Record<string, { max?: number; re?: string; msg?: string }> = {};
  const walk = (els: readonly unknown[]): void => {
    for (const el of els) {
      if (!isRecord(el)) continue;
      if (el.type === 'Input.Text' && typeof el.id === 'string') {
        const max =
          typeof el.maxLength === 'number' && el.maxLength > SLACK_LIMITS.textInput
            ? el.maxLength
            : undefined;
        const re = typeof el.regex === 'string' && el.regex !== '' ? el.regex : undefined;
        const msg = typeof el.errorMessage === 'string' && re !== undefined ? el.errorMessage : undefined;
        if (max !== undefined || re !== undefined)
          out[el.id] = {
            ...(max === undefined ? {} : { max }),
            ...(re === undefined ? {} : { re }),
            ...(msg === undefined ? {} : { msg }),
          };
      }
      walk([...list(el.items), ...list(el.columns)]);
    }
  };
  walk(elements);
  return out;
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
  formOnly = false,
): SlackView {
  const c = isRecord(card) ? card : { body: [] };
  const all = [
    ...list(c.actions),
    ...list(c.body).flatMap((e) => (isRecord(e) && e.type === 'ActionSet' ? list(e.actions) : [])),
  ];
  // A form opened in a modal keeps only its submit: Slack's own Cancel replaces "Back" and "Cancel".
  const actions = formOnly ? all.filter(isSubmitAction).slice(0, 1) : list(c.actions);
  const body = formOnly ? list(c.body).filter((e) => !(isRecord(e) && e.type === 'ActionSet')) : list(c.body);
  const form = hasInputs(body);
  const submitIndex = form ? actions.findIndex(isSubmitAction) : -1;
  const submit =
    submitIndex >= 0 && isRecord(actions[submitIndex])
      ? (actions[submitIndex] as Record<string, unknown>)
      : null;
  const rest = actions.filter((_, i) => i !== submitIndex);
  const units = cardUnits({ ...c, body, actions: rest }, { surface: 'modal', nonce });
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
    ...(form ? { x: inputChecks(body) } : {}),
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

const isSubmitAction = (a: unknown): boolean =>
  isRecord(a) && (a.type === 'Action.Execute' || a.type === 'Action.Submit');

/** A form card (ask, SDM contact, skip reason, item edit) as the clicker's modal: the submit and Cancel. */
export const formModal = (card: unknown, origin: Origin): SlackView =>
  cardModal(card, origin, null, newNonce(), true);

/** Block ids of the Ask form's two inputs (modals opened by earlier versions, still submitted). */
export const ASK_FIELDS = { incident: 'ask:incident', question: 'ask:question' } as const;

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

/**
 * The Home tab: header and buttons, then the core's replies (summary and incidents, or what was opened).
 * An unlinked workspace gets the replies alone (how to link it): nothing there to ask or go back to.
 */
export function homeView(replies: readonly Reply[], back: boolean, linked = true): SlackView {
  const pages = paginate(
    [...(linked ? homeHead(back) : []), ...replyUnits(replies, 'home')],
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
