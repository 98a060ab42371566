import { safeHttpsUrl } from '../../../cards/escape.js';
import { clip, mrkdwn, SLACK_LIMITS, type SlackBlock } from './block-kit.js';
import { actionUnits } from './card-actions.js';
import { INPUT_TYPES, inputUnits } from './card-inputs.js';
import { columnFieldUnits, factSetUnits, richTextUnits, tableUnits, textBlockUnits } from './card-text.js';
import {
  isRecord,
  type Json,
  list,
  noteUnits,
  type RenderContext,
  str,
  type Unit,
} from './render-context.js';

// The element dispatcher: walks the card body in document order and turns each element into units. Layout
// containers (Container, ColumnSet, Column) are flattened, because Slack has no nesting; a text row followed
// by its one button becomes a section with that button beside it, the native Slack shape.

/** Emoji that carry a Container's tone into Slack, where blocks have no colours. */
const STYLE_PREFIX: Readonly<Record<string, string>> = {
  attention: ':rotating_light: ',
  warning: ':warning: ',
  good: ':white_check_mark: ',
};

function imageUnits(el: Json): Unit[] {
  const alt = (str(el.altText) ?? '').trim();
  const url = safeHttpsUrl(str(el.url));
  if (url === null || url.length > SLACK_LIMITS.imageUrl) {
    return noteUnits(`Image not shown${alt ? `: ${alt}` : ''}`);
  }
  return [
    {
      block: { type: 'image', image_url: url, alt_text: clip(alt || 'Image', SLACK_LIMITS.altText) },
      pinned: false,
    },
  ];
}

/** Consecutive plain text sections of one container read as one paragraph group: one block, not many. */
function joinSections(units: readonly Unit[]): Unit[] {
  const out: Unit[] = [];
  for (const u of units) {
    const prev = out[out.length - 1];
    const a = prev?.block;
    const b = u.block;
    if (
      prev !== undefined &&
      a?.type === 'section' &&
      b.type === 'section' &&
      a.text !== undefined &&
      b.text !== undefined &&
      a.fields === undefined &&
      b.fields === undefined &&
      a.accessory === undefined &&
      b.accessory === undefined &&
      prev.pinned === u.pinned &&
      a.text.text.length + b.text.text.length + 1 <= SLACK_LIMITS.sectionText
    ) {
      out[out.length - 1] = {
        block: { type: 'section', text: mrkdwn(`${a.text.text}\n${b.text.text}`) },
        pinned: u.pinned,
      };
    } else out.push(u);
  }
  return out;
}

/** A section followed by a single button: the button becomes the section's accessory. */
function mergeAccessories(units: readonly Unit[]): Unit[] {
  const out: Unit[] = [];
  for (let i = 0; i < units.length; i += 1) {
    const u = units[i] as Unit;
    const next = units[i + 1];
    const b = u.block;
    const n = next?.block;
    if (
      next !== undefined &&
      b.type === 'section' &&
      b.accessory === undefined &&
      n?.type === 'actions' &&
      n.elements.length === 1 &&
      n.elements[0] !== undefined
    ) {
      const merged: SlackBlock = { ...b, accessory: n.elements[0] };
      out.push({ block: merged, pinned: u.pinned || next.pinned });
      i += 1;
    } else out.push(u);
  }
  return out;
}

function containerUnits(el: Json, ctx: RenderContext, pinned: boolean): Unit[] {
  const items = list(el.items);
  const prefix = STYLE_PREFIX[String(el.style)];
  const [first, ...rest] = items;
  if (prefix !== undefined && isRecord(first) && first.type === 'TextBlock' && first.isVisible !== false) {
    return mergeAccessories(
      joinSections([...textBlockUnits(first, false, prefix), ...renderElements(rest, ctx, pinned, false)]),
    );
  }
  return mergeAccessories(joinSections(renderElements(items, ctx, pinned, false)));
}

function unsupported(el: Json, ctx: RenderContext, pinned: boolean, topLevel: boolean): Unit[] {
  if (isRecord(el.fallback)) return renderElements([el.fallback], ctx, pinned, topLevel);
  if (el.fallback === 'drop') return [];
  const type = str(el.type) ?? 'unknown';
  return noteUnits(`This card has a part Slack cannot show (${clip(type, 60)}).`);
}

function oneElement(el: Json, ctx: RenderContext, pinned: boolean, topLevel: boolean): Unit[] {
  switch (el.type) {
    case 'TextBlock':
      return textBlockUnits(el, topLevel);
    case 'RichTextBlock':
      return richTextUnits(el);
    case 'FactSet':
      return factSetUnits(el);
    case 'Table':
      return tableUnits(el);
    case 'Image':
      return imageUnits(el);
    case 'ImageSet':
      return list(el.images).filter(isRecord).flatMap(imageUnits);
    case 'Container':
      return containerUnits(el, ctx, pinned);
    case 'Column':
      return containerUnits(el, ctx, pinned);
    case 'ColumnSet':
      return (
        columnFieldUnits(el) ??
        renderElements(
          list(el.columns)
            .filter(isRecord)
            .map((c) => ({ ...c, type: 'Container' })),
          ctx,
          pinned,
          false,
        )
      );
    case 'ActionSet':
      return actionUnits(list(el.actions), ctx, renderNested, pinned || ctx.form);
    default:
      if (typeof el.type === 'string' && (INPUT_TYPES as readonly string[]).includes(el.type))
        return inputUnits(el, ctx);
      return unsupported(el, ctx, pinned, topLevel);
  }
}

/** Card elements → units, in document order. `pinned` keeps them all in the first message. */
export function renderElements(
  elements: readonly unknown[],
  ctx: RenderContext,
  pinned: boolean,
  topLevel: boolean,
): Unit[] {
  const units: Unit[] = [];
  for (const el of elements) {
    if (!isRecord(el) || el.isVisible === false) continue;
    const own = oneElement(el, ctx, pinned, topLevel);
    if (own.length > 0 && el.separator === true && units.length > 0)
      units.push({ block: { type: 'divider' }, pinned });
    units.push(...own);
    if (isRecord(el.selectAction))
      units.push(...actionUnits([el.selectAction], ctx, renderNested, pinned || ctx.form));
  }
  return pinned ? units.map((u) => ({ ...u, pinned: true })) : units;
}

function renderNested(elements: readonly unknown[], ctx: RenderContext, pinned: boolean): Unit[] {
  return renderElements(elements, ctx, pinned, false);
}
