import { LIMITS, plainLine, plainText } from '../escape.js';
import type { CardColor } from '../format.js';
import type { CardMessage } from '../types.js';
import { cardMessage, md } from '../view.js';

// Notices and errors as cards, so every answer has the same shape and fallback text. Both fields are
// treated as untrusted: flows often quote what the user typed.

export type NoticeTone = 'info' | 'warning' | 'error';

export interface NoticeInput {
  readonly title: string;
  readonly text: string;
  readonly tone: NoticeTone;
}

const TONES: Record<NoticeTone, { readonly style: string; readonly color: CardColor }> = {
  info: { style: 'emphasis', color: 'default' },
  warning: { style: 'warning', color: 'warning' },
  error: { style: 'attention', color: 'attention' },
};

/** A toned head: title and text escaped (plain, not yet markdown) and the tone's container style and color. */
export function tonedHead(
  title: string,
  text: string,
  tone: NoticeTone,
): { readonly title: string; readonly text: string; readonly style: string; readonly color: CardColor } {
  return { title: plainLine(title, LIMITS.title), text: plainText(text, LIMITS.summary), ...TONES[tone] };
}

/** A titled, toned message; text is escaped, never interpreted as markdown. */
export function noticeCard(input: NoticeInput): CardMessage {
  const { title, text, style, color } = tonedHead(input.title, input.text, input.tone);
  return cardMessage('notice', { title: md(title), text: md(text), style, color }, [title, text]);
}
