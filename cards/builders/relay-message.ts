import { cardText, LIMITS, plainLine, plainText } from '../escape.js';
import type { CardMessage } from '../types.js';
import { cardMessage, md } from '../view.js';

// How a relayed message looks on the other side: who it is from (a label the bot composes, never a
// platform mention) and the text, cleaned and escaped so it can never become a link, mention or broadcast.

export interface RelayMessageInput {
  /** "Defender Experts", "Contoso Ltd · Alice Analyst". */
  readonly from: string;
  readonly text: string;
  readonly change: 'new' | 'edited' | 'removed';
  /** Extra line under the text (attachments that were not relayed). */
  readonly note?: string;
}

/** Longest relayed text: the core refuses longer messages before they get here. */
export const RELAY_TEXT_MAX = 4000;

/** One relayed message, or its edited / removed version (the same message updated in place). */
export function relayMessageCard(input: RelayMessageInput): CardMessage {
  const from = plainLine(input.from, LIMITS.name);
  const removed = input.change === 'removed';
  const text = removed ? 'Message removed' : plainText(input.text, RELAY_TEXT_MAX);
  const notes = [input.change === 'edited' ? 'Edited' : '', input.note ?? ''].filter((n) => n !== '');
  const note = plainLine(notes.join(' · '), LIMITS.line);
  return cardMessage(
    'relay-message',
    {
      from: md(from),
      text: removed ? md(text) : cardText(input.text, RELAY_TEXT_MAX),
      removed,
      hasNote: note !== '',
      note: md(note),
    },
    [`${from}: ${text}`, note],
  );
}
