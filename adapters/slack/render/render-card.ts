import { randomBytes } from 'node:crypto';
import { encodeShowCard, showCardId } from './action-codec.js';
import { clip, mrkdwn, plain, SLACK_LIMITS, type SlackBlock } from './block-kit.js';
import { actionUnits } from './card-actions.js';
import { renderElements } from './card-elements.js';
import { hasInputs } from './card-inputs.js';
import { splitForm } from './form-split.js';
import { cardMarkdownToMrkdwn, escapeMrkdwn } from './mrkdwn.js';
import { type Budget, paginate, pinnedFit } from './paginate.js';
import {
  isRecord,
  list,
  noteUnits,
  type RenderContext,
  type Surface,
  sectionUnits,
  str,
  type Unit,
} from './render-context.js';

// The Adaptive Card → Block Kit renderer's entry point: cards are the one view model, and Slack
// renders them. Pure apart from a random nonce for input block ids, which tests may fix.

export type { Surface } from './render-context.js';

/** How and where a card is rendered. */
export interface RenderOptions {
  readonly surface: Surface;
  /** Makes input block ids unique per rendering; random unless given. */
  readonly nonce?: string;
  /** Defaults: a message 50 blocks / 12,000 characters, a view 100 / 24,000. */
  readonly budget?: Budget;
  /** Shown where a message is cut; the caller knows where the rest goes (thread, further replies). */
  readonly overflowNote?: string;
}

/** A rendered card: what to send, and what follows it. */
export interface RenderedCard {
  /** The message or view itself, always within the budget. */
  readonly blocks: readonly SlackBlock[];
  /** Further messages with the content that did not fit (messages only), each within the budget. */
  readonly continuation: readonly (readonly SlackBlock[])[];
}

/** The budgets every rendering keeps (Slack: 50 blocks a message, 100 a view). */
export const MESSAGE_BUDGET: Budget = {
  maxBlocks: SLACK_LIMITS.messageBlocks,
  maxChars: SLACK_LIMITS.messageChars,
};
export const VIEW_BUDGET: Budget = { maxBlocks: SLACK_LIMITS.viewBlocks, maxChars: SLACK_LIMITS.viewChars };

const DEFAULT_NOTES: Readonly<Record<Surface, string>> = {
  message: '⋯ This card is longer than Slack allows in one message: the rest follows in the thread.',
  modal: '⋯ This view is cut short: Slack allows only so much in one view.',
  home: '⋯ This view is cut short: Slack allows only so much in one view.',
};

/** A fresh nonce for input block ids. */
export const newNonce = (): string => randomBytes(4).toString('hex');

function fallbackUnits(card: Readonly<Record<string, unknown>>): Unit[] {
  const units = sectionUnits(cardMarkdownToMrkdwn(str(card.fallbackText) ?? '').trim());
  return units.length > 0
    ? units
    : [{ block: { type: 'context', elements: [mrkdwn('_(empty card)_')] }, pinned: false }];
}

/** Renders a card's elements and actions into units (exported for views that combine several cards). */
export function cardUnits(
  card: unknown,
  ctx: Omit<RenderContext, 'form' | 'seq'> & { seq?: number },
): Unit[] {
  if (!isRecord(card))
    return [{ block: { type: 'context', elements: [mrkdwn('_(empty card)_')] }, pinned: false }];
  const body = list(card.body);
  const state: RenderContext = {
    surface: ctx.surface,
    nonce: ctx.nonce,
    form: hasInputs(body),
    seq: ctx.seq ?? 0,
  };
  const units = [
    ...renderElements(body, state, false, true),
    ...actionUnits(
      list(card.actions),
      state,
      (els, c, pinned) => renderElements(els, c, pinned, false),
      true,
    ),
  ];
  return units.length > 0 ? units : fallbackUnits(card);
}

/** Renders one card for a surface, within Slack's limits, cutting visibly where it must. */
export function renderCard(card: unknown, options: RenderOptions): RenderedCard {
  const surface = options.surface;
  const nonce = options.nonce ?? newNonce();
  const budget = options.budget ?? (surface === 'message' ? MESSAGE_BUDGET : VIEW_BUDGET);
  let units = cardUnits(card, { surface, nonce });
  if (surface === 'message' && isRecord(card) && !pinnedFit(units, budget)) {
    // A form too big for a message opens as a modal (100 blocks) from a button; the content stays here.
    const { content, form } = splitForm(card);
    const value = encodeShowCard(form);
    if (value !== null) {
      const fields = list(form.body).length;
      units = [
        ...cardUnits(content, { surface, nonce }),
        ...noteUnits(
          `This form has ${fields} fields, more than a Slack message holds: it opens in a window.`,
          true,
        ),
        {
          pinned: true,
          block: {
            type: 'actions',
            elements: [
              {
                type: 'button',
                text: plain('Open the form', 75),
                action_id: showCardId(0),
                value,
                style: 'primary',
              },
            ],
          },
        },
      ];
    }
  }
  const pages = paginate(
    units,
    budget,
    surface === 'message',
    options.overflowNote ?? DEFAULT_NOTES[surface],
  );
  return { blocks: pages.first, continuation: pages.rest };
}

/** The `text` of a message: the reply's plain fallback text, escaped so it cannot mention or link. */
export function messageText(plainText: string): string {
  return escapeMrkdwn(
    clip(plainText.trim() === '' ? 'Defender Experts' : plainText, SLACK_LIMITS.messageText),
  );
}
