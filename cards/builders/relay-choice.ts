import { cardText, LIMITS, plainLine, plainText } from '../escape.js';
import { QUESTION_VERBS } from '../question-verbs.js';
import type { CardMessage } from '../types.js';
import { cardMessage, execute, md } from '../view.js';

// "Which request is this for?": in a chat without threads that carries several conversations (an SDM's chat
// with all her customers, a customer's chat with two questions), the sender picks. The message itself waits
// on the bot's side (RelayStore.hold); each button carries only a pair id and the message's platform id.

export interface RelayChoiceInput {
  readonly title: string;
  /** What the sender wrote, quoted (escaped, shortened for display; the whole text is held). */
  readonly text: string;
  /** The platform id of the held message this card is about. */
  readonly sourceId: string;
  /** `who`: a name the bot composed (customer, provider label); `about`: the request, from people's text. */
  readonly choices: readonly {
    readonly pairId: string;
    readonly who: string;
    readonly about: string;
    /** The request's own id (Q-HSKQKK), bot-made: names the button when two share one `who`. */
    readonly ref?: string;
  }[];
}

/**
 * The choice card. People's text (the message, what each request is about) stays in escaped text blocks;
 * button titles carry only a number and the composed name ("Send to 2 · Contoso Ltd"), or the request's id
 * when several go to the same party ("Send to Q-HSKQKK").
 */
export function relayChoiceCard(input: RelayChoiceInput): CardMessage {
  const title = plainLine(input.title, LIMITS.title);
  const lines = input.choices.map((c, i) => {
    const about = plainLine(c.about, LIMITS.line);
    return `${i + 1} · ${plainLine(c.who, LIMITS.name)}${about === '' ? '' : ` (${about})`}`;
  });
  // "Send to 1 · Defender Experts" and "Send to 2 · Defender Experts" cannot be told apart.
  const shared = (who: string): boolean => input.choices.filter((c) => c.who === who).length > 1;
  const choices = input.choices.map((c, i) =>
    execute(shared(c.who) && c.ref ? `Send to ${c.ref}` : `Send to ${i + 1} · ${c.who}`, {
      verb: QUESTION_VERBS.relayReply,
      data: { pairId: c.pairId, sourceId: input.sourceId },
    }),
  );
  return cardMessage(
    'relay-choice',
    {
      title: md(title),
      text: cardText(input.text, LIMITS.section),
      options: md(lines.join('\n\n')),
      choices,
    },
    [title, plainText(input.text, LIMITS.line), ...lines],
  );
}
