import { mrkdwn, SLACK_LIMITS } from './block-kit.js';
import { boldLines, cardMarkdownToMrkdwn, cardMarkdownToPlain, escapeMrkdwn, monospace } from './mrkdwn.js';
import {
  contextUnits,
  fieldUnits,
  isRecord,
  type Json,
  list,
  sectionUnits,
  str,
  type Unit,
} from './render-context.js';

// The text-bearing card elements: TextBlock, RichTextBlock, FactSet and Table. Card text is markdown with
// backslash escapes; TextRun text is plain (Adaptive Cards never parses it). Both end as escaped mrkdwn.

const isSmall = (el: Json): boolean => el.isSubtle === true || el.size === 'small';

/** A TextBlock as mrkdwn (bold, monospace), without deciding which block it becomes. */
export function textBlockMrkdwn(el: Json, prefix = ''): string {
  const raw = str(el.text) ?? '';
  let text = cardMarkdownToMrkdwn(raw);
  if (el.fontType === 'monospace') text = monospace(text);
  if (el.weight === 'bolder' || el.style === 'heading') text = boldLines(text);
  return `${prefix}${text}`;
}

/** TextBlock → header (a short heading at the top level), context (subtle or small text) or section. */
export function textBlockUnits(el: Json, topLevel: boolean, prefix = ''): Unit[] {
  const raw = str(el.text) ?? '';
  const heading =
    el.style === 'heading' || (el.weight === 'bolder' && ['large', 'extraLarge'].includes(String(el.size)));
  const plainText = `${prefix}${cardMarkdownToPlain(raw)}`.replace(/\s+/g, ' ').trim();
  if (topLevel && heading && plainText !== '' && plainText.length <= SLACK_LIMITS.headerText) {
    return [
      {
        block: { type: 'header', text: { type: 'plain_text', text: plainText, emoji: true } },
        pinned: false,
      },
    ];
  }
  const text = textBlockMrkdwn(el, prefix);
  return isSmall(el) ? contextUnits(text) : sectionUnits(text);
}

/** One inline of a RichTextBlock: a plain string or a TextRun with its styles. */
function inlineMrkdwn(inline: unknown): string {
  if (typeof inline === 'string') return escapeMrkdwn(inline);
  if (!isRecord(inline)) return '';
  let text = escapeMrkdwn(str(inline.text) ?? '');
  if (text.trim() === '') return text;
  if (inline.fontType === 'monospace') text = monospace(text);
  if (inline.strikethrough === true) text = `~${text}~`;
  if (inline.italic === true) text = `_${text}_`;
  if (inline.weight === 'bolder') text = boldLines(text);
  return text;
}

/** RichTextBlock → section(s) with the runs' emphasis kept. */
export function richTextUnits(el: Json): Unit[] {
  return sectionUnits(list(el.inlines).map(inlineMrkdwn).join(''));
}

/** FactSet → two-column fields ("*Title*\nvalue"); a fact too long for a field gets its own section. */
export function factSetUnits(el: Json): Unit[] {
  const fields = list(el.facts)
    .filter(isRecord)
    .map((fact) => {
      const title = cardMarkdownToMrkdwn(str(fact.title) ?? '').trim();
      const value = cardMarkdownToMrkdwn(str(fact.value) ?? '').trim();
      return mrkdwn(title === '' ? value || '-' : `${boldLines(title)}\n${value || '-'}`);
    });
  return fieldUnits(fields);
}

/** The text of a table cell or column: its text elements, joined. */
export function itemsText(items: readonly unknown[], separator: string): string {
  return items
    .filter(isRecord)
    .map((item) => {
      if (item.type === 'TextBlock') return textBlockMrkdwn(item);
      if (item.type === 'RichTextBlock') return list(item.inlines).map(inlineMrkdwn).join('');
      return '';
    })
    .filter((t) => t.trim() !== '')
    .join(separator);
}

/** Table → one line per row ("a | b | c"), the header row in bold; long tables split across sections. */
export function tableUnits(el: Json): Unit[] {
  const rows = list(el.rows).filter(isRecord);
  const headers = el.firstRowAsHeaders !== false;
  const lines = rows.map((row, i) => {
    const cells = list(row.cells)
      .filter(isRecord)
      .map((cell) => itemsText(list(cell.items), ' ').replace(/\n+/g, ' ').trim() || '–');
    const line = cells.join(' | ');
    return headers && i === 0 ? boldLines(line) : line;
  });
  return lines.length === 0 ? [] : sectionUnits(lines.join('\n'));
}

/** A column is "simple" when it only holds text: a ColumnSet of those becomes one fields section. */
export function simpleColumnText(column: Json): string | null {
  const items = list(column.items).filter(isRecord);
  if (items.some((i) => i.type !== 'TextBlock' && i.type !== 'RichTextBlock')) return null;
  if (items.some((i) => i.isVisible === false || i.selectAction !== undefined)) return null;
  const lines = items.map((item) => {
    if (item.type === 'RichTextBlock') return list(item.inlines).map(inlineMrkdwn).join('');
    const text = textBlockMrkdwn(item);
    return isSmall(item) && !text.startsWith('*') && text.trim() !== '' ? `_${text.trim()}_` : text;
  });
  const text = lines.filter((l) => l.trim() !== '').join('\n');
  return text.length <= SLACK_LIMITS.fieldText ? text : null;
}

/** ColumnSet of text-only columns → fields; null when some column holds more than text. */
export function columnFieldUnits(el: Json): Unit[] | null {
  const columns = list(el.columns).filter(isRecord);
  if (columns.length === 0 || columns.length > SLACK_LIMITS.sectionFields) return null;
  if (columns.some((c) => c.selectAction !== undefined || c.isVisible === false)) return null;
  const texts = columns.map(simpleColumnText);
  if (texts.some((t) => t === null)) return null;
  const nonEmpty = (texts as string[]).filter((t) => t.trim() !== '');
  if (nonEmpty.length === 0) return [];
  if (nonEmpty.length === 1) return sectionUnits(nonEmpty[0] ?? '');
  return fieldUnits(nonEmpty.map((t) => mrkdwn(t)));
}
