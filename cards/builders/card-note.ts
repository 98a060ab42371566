import { cardLine, LIMITS } from '../escape.js';
import type { CardMessage } from '../types.js';

// A short note for one reader on top of a card they already know (the alert card given back after its Ask
// form was sent: "Sent to Defender Experts as Q-…"). The card itself is unchanged below it.

/**
 * The card with a one-line note above its body; the note also leads the fallback text. `emphasis` for a
 * note that reports nothing done ("Question not sent"), `good` for one that reports success.
 */
export function withNote(
  message: CardMessage,
  note: string,
  style: 'good' | 'emphasis' = 'good',
): CardMessage {
  const block = {
    type: 'Container',
    style,
    items: [{ type: 'TextBlock', text: cardLine(note, LIMITS.line), wrap: true, weight: 'bolder' }],
  };
  return {
    card: { ...message.card, body: [block, ...message.card.body] },
    fallbackText: `${note}\n${message.fallbackText}`,
  };
}
