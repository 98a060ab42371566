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

/** A titled, toned message; text is escaped, never interpreted as markdown. */
export function noticeCard(input: NoticeInput): CardMessage {
  const title = plainLine(input.title, LIMITS.title);
  const text = plainText(input.text, LIMITS.summary);
  const tone = TONES[input.tone];
  return cardMessage('notice', { title: md(title), text: md(text), style: tone.style, color: tone.color }, [
    title,
    text,
  ]);
}
