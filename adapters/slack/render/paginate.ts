import { blockChars, mrkdwn, type SlackBlock } from './block-kit.js';
import type { Unit } from './render-context.js';

// Keeps every message within Slack's limits by cutting visibly, never by failing: the first message keeps
// the inputs and the buttons that submit them; content that does not fit moves to continuation messages
// (posted in the thread, or as further replies), each saying where it belongs. Views cannot continue, so
// they say how much was left out.

export interface Budget {
  readonly maxBlocks: number;
  readonly maxChars: number;
}

/** The first message and its continuation messages. */
export interface Pages {
  readonly first: readonly SlackBlock[];
  readonly rest: readonly (readonly SlackBlock[])[];
}

/** At most this many messages for one card; beyond that the rest is cut, with a note saying so. */
export const MAX_PAGES = 6;
const NOTE_CHARS = 160;

const note = (text: string): SlackBlock => ({ type: 'context', elements: [mrkdwn(`_${text}_`)] });

const size = (units: readonly Unit[]): { blocks: number; chars: number } => ({
  blocks: units.length,
  chars: units.reduce((n, u) => n + blockChars(u.block), 0),
});

/** Keeps pinned units in order while they fit; reports how many did not. */
function fitPinned(units: readonly Unit[], budget: Budget): { kept: Set<Unit>; dropped: number } {
  const kept = new Set<Unit>();
  let blocks = 0;
  let chars = 0;
  let dropped = 0;
  for (const u of units) {
    if (!u.pinned) continue;
    const c = blockChars(u.block);
    if (blocks + 1 <= budget.maxBlocks && chars + c <= budget.maxChars) {
      kept.add(u);
      blocks += 1;
      chars += c;
    } else dropped += 1;
  }
  return { kept, dropped };
}

/** Whether the pinned units (inputs and their buttons) all fit in the first message of `budget`. */
export function pinnedFit(units: readonly Unit[], budget: Budget): boolean {
  return (
    fitPinned(units, { maxBlocks: budget.maxBlocks - 2, maxChars: budget.maxChars - 2 * NOTE_CHARS })
      .dropped === 0
  );
}

/** Packs overflowing units into continuation pages, each headed by where it comes from. */
function continuationPages(overflow: readonly Unit[], budget: Budget): SlackBlock[][] {
  const pages: SlackBlock[][] = [];
  let page: SlackBlock[] = [];
  let chars = 0;
  let i = 0;
  const cap = { blocks: budget.maxBlocks - 2, chars: budget.maxChars - 2 * NOTE_CHARS };
  for (; i < overflow.length; i += 1) {
    const u = overflow[i] as Unit;
    const c = blockChars(u.block);
    if (page.length > 0 && (page.length + 1 > cap.blocks || chars + c > cap.chars)) {
      pages.push(page);
      page = [];
      chars = 0;
      if (pages.length >= MAX_PAGES - 1) break;
    }
    page.push(u.block);
    chars += c;
  }
  if (page.length > 0 && pages.length < MAX_PAGES - 1) pages.push(page);
  const cut = overflow.length - pages.reduce((n, p) => n + p.length, 0);
  const total = pages.length + 1;
  return pages.map((p, k) => {
    const last = k === pages.length - 1;
    const tail =
      last && cut > 0 ? [note(`${cut} more part(s) were cut: the card is too long for Slack.`)] : [];
    return [note(`Continued (${k + 2}/${total})`), ...p, ...tail];
  });
}

/**
 * Splits units into the first message and continuation pages within `budget`. `overflowNote` is shown where
 * the first message is cut; without `continues`, the cut content is counted instead of continued.
 */
export function paginate(
  units: readonly Unit[],
  budget: Budget,
  continues: boolean,
  overflowNote: string,
): Pages {
  const all = size(units);
  if (all.blocks <= budget.maxBlocks && all.chars <= budget.maxChars)
    return { first: units.map((u) => u.block), rest: [] };

  const reserve = { maxBlocks: budget.maxBlocks - 2, maxChars: budget.maxChars - 2 * NOTE_CHARS };
  const { kept, dropped } = fitPinned(units, reserve);
  const pinned = size([...kept]);
  let room = { blocks: reserve.maxBlocks - pinned.blocks, chars: reserve.maxChars - pinned.chars };
  const first: SlackBlock[] = [];
  const overflow: Unit[] = [];
  let cutAt = -1;
  for (const u of units) {
    if (u.pinned) {
      if (kept.has(u)) first.push(u.block);
      continue;
    }
    const c = blockChars(u.block);
    if (cutAt < 0 && room.blocks >= 1 && room.chars >= c) {
      first.push(u.block);
      room = { blocks: room.blocks - 1, chars: room.chars - c };
    } else {
      if (cutAt < 0) cutAt = first.length;
      overflow.push(u);
    }
  }
  const rest = continues ? continuationPages(overflow, budget) : [];
  if (overflow.length > 0) {
    const text = continues
      ? overflowNote
      : `${overflowNote} (${overflow.length} more part(s) not shown here.)`;
    first.splice(cutAt < 0 ? first.length : cutAt, 0, note(text));
  }
  if (dropped > 0)
    first.push(
      note(`${dropped} field(s) or button(s) could not be shown: this form is too large for Slack.`),
    );
  return { first, rest };
}
