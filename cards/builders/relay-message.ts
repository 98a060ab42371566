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
  /**
   * The request the message belongs to ("Q-7K2M9P · Is the sign-in…", "incident #10503"): a chat can carry
   * several, so every copy says which one it answers.
   */
  readonly about?: string;
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
  const about = plainLine(input.about ?? '', LIMITS.line);
  return cardMessage(
    'relay-message',
    {
      from: md(from),
      hasAbout: about !== '',
      about: md(`Re: ${about}`),
      text: removed ? md(text) : cardText(input.text, RELAY_TEXT_MAX),
      removed,
      hasNote: note !== '',
      note: md(note),
    },
    // The request goes in the first line, which is what notifications show.
    [`${from}${about === '' ? '' : ` (re ${about})`}: ${text}`, note],
  );
}

export interface RelayRequestInput {
  readonly title: string;
  /** What the person typed (up to the relay's limit) and the line on how to answer; never cut below that. */
  readonly text: string;
  readonly tone: 'info' | 'warning' | 'error';
}

const REQUEST_TONES = {
  info: { style: 'emphasis', color: 'default' },
  warning: { style: 'warning', color: 'warning' },
  error: { style: 'attention', color: 'attention' },
} as const;

/**
 * The root card of a relayed request (an SDM message or escalation): a notice whose text is kept whole up to
 * the relay's limit, so the other side reads everything the person typed, plus how to answer.
 */
export function relayRequestCard(input: RelayRequestInput): CardMessage {
  const title = plainLine(input.title, LIMITS.title);
  const text = plainText(input.text, RELAY_TEXT_MAX + 400);
  const tone = REQUEST_TONES[input.tone];
  return cardMessage('notice', { title: md(title), text: md(text), style: tone.style, color: tone.color }, [
    title,
    text,
  ]);
}
