import { safeHttpsUrl } from '../../../cards/escape.js';
import { encodeExecute, encodeShowCard, openUrlId, showCardId } from './action-codec.js';
import { type ButtonElement, type Confirm, plain, SLACK_LIMITS } from './block-kit.js';
import { hasInputs } from './card-inputs.js';
import {
  isRecord,
  type Json,
  list,
  nextSeq,
  noteUnits,
  type RenderContext,
  str,
  type Unit,
} from './render-context.js';

// Card actions → buttons. Execute/Submit keep verb and data for the round trip; a destructive action gets
// Slack's confirm dialog naming what it does; OpenUrl stays a link button (https only); ShowCard opens its
// card as a modal, or is shown inline when it is too big to travel in a button.

/** Renders a nested card's elements; passed in so this file does not import the element dispatcher. */
export type RenderNested = (elements: readonly unknown[], ctx: RenderContext, pinned: boolean) => Unit[];

const titleOf = (a: Json, fallback: string): string => {
  const t = (str(a.title) ?? '').replace(/\s+/g, ' ').trim();
  return t === '' ? fallback : t;
};

function confirmFor(a: Json, title: string): Confirm {
  const what = (str(a.tooltip) ?? '').trim() || `“${title}”`;
  return {
    title: plain('Are you sure?', SLACK_LIMITS.confirmTitle),
    text: plain(`${what} — this cannot be undone from Slack.`, SLACK_LIMITS.confirmText),
    confirm: plain(title, SLACK_LIMITS.confirmButton),
    deny: plain('Cancel', SLACK_LIMITS.confirmButton),
    style: 'danger',
  };
}

/** The verb an action sends: Execute's `verb`; for Submit, a `verb` inside its data (teams-ai style). */
export function verbOf(a: Json): string {
  if (a.type === 'Action.Execute') return str(a.verb) ?? '';
  return isRecord(a.data) ? (str(a.data.verb) ?? '') : '';
}

interface ActionResult {
  readonly buttons: ButtonElement[];
  /** Why an action is not a button (disabled, cannot travel, not https); one note per action set. */
  readonly notes: string[];
  /** ShowCards too big for a button, shown expanded after the buttons. */
  readonly inline: Unit[];
}

const none = (): ActionResult => ({ buttons: [], notes: [], inline: [] });

function executeButton(a: Json, ctx: RenderContext): ActionResult {
  const title = titleOf(a, 'Submit');
  if (a.isEnabled === false) return { ...none(), notes: [`Not available to you: ${title}`] };
  const encoded = encodeExecute(nextSeq(ctx), verbOf(a), a.data);
  if (encoded === null) return { ...none(), notes: [`“${title}” cannot be offered in Slack`] };
  const destructive = a.style === 'destructive';
  const button: ButtonElement = {
    type: 'button',
    text: plain(title, SLACK_LIMITS.buttonText),
    action_id: encoded.actionId,
    value: encoded.value,
    ...(destructive ? { style: 'danger', confirm: confirmFor(a, title) } : {}),
    ...(a.style === 'positive' ? { style: 'primary' } : {}),
  };
  return { ...none(), buttons: [button] };
}

function oneAction(a: Json, ctx: RenderContext, nested: RenderNested, pinned: boolean): ActionResult {
  switch (a.type) {
    case 'Action.Execute':
    case 'Action.Submit':
      return executeButton(a, ctx);
    case 'Action.OpenUrl': {
      const title = titleOf(a, 'Open');
      const url = safeHttpsUrl(str(a.url));
      if (url === null || url.length > SLACK_LIMITS.imageUrl) {
        return {
          ...none(),
          notes: [`The link “${title}” is not shown (not an https address)`],
        };
      }
      const button: ButtonElement = {
        type: 'button',
        text: plain(title, SLACK_LIMITS.buttonText),
        action_id: openUrlId(nextSeq(ctx)),
        url,
      };
      return { ...none(), buttons: [button] };
    }
    case 'Action.ShowCard': {
      const title = titleOf(a, 'More');
      if (!isRecord(a.card)) return none();
      const value = encodeShowCard(a.card);
      if (value !== null) {
        const button: ButtonElement = {
          type: 'button',
          text: plain(title, SLACK_LIMITS.buttonText),
          action_id: showCardId(nextSeq(ctx)),
          value,
        };
        return { ...none(), buttons: [button] };
      }
      // Too big to travel in a button: shown expanded, as Adaptive Cards would after the click.
      const body = [...list(a.card.body), { type: 'ActionSet', actions: list(a.card.actions) }];
      const inner = nested(body, ctx, pinned || hasInputs(body));
      return {
        ...none(),
        inline: [
          ...noteUnits(
            `${title}:`,
            inner.some((u) => u.pinned),
          ),
          ...inner,
        ],
      };
    }
    default:
      return none();
  }
}

/** Actions → actions blocks of at most 25 buttons, one note for what could not be a button, inlined cards. */
export function actionUnits(
  actions: readonly unknown[],
  ctx: RenderContext,
  nested: RenderNested,
  pinned: boolean,
): Unit[] {
  const buttons: ButtonElement[] = [];
  const notes: string[] = [];
  const inline: Unit[] = [];
  for (const a of actions) {
    if (!isRecord(a)) continue;
    const r = oneAction(a, ctx, nested, pinned);
    buttons.push(...r.buttons);
    notes.push(...r.notes);
    inline.push(...r.inline);
  }
  const units: Unit[] = [];
  for (let i = 0; i < buttons.length; i += SLACK_LIMITS.actionsElements) {
    units.push({
      block: { type: 'actions', elements: buttons.slice(i, i + SLACK_LIMITS.actionsElements) },
      pinned,
    });
  }
  if (notes.length > 0) units.push(...noteUnits(notes.join(' · '), pinned));
  return [...units, ...inline];
}
