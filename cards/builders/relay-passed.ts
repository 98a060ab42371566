import { LIMITS, plainLine } from '../escape.js';
import { QUESTION_VERBS } from '../question-verbs.js';
import type { CardMessage } from '../types.js';
import { cardMessage, execute, md } from '../view.js';

// The acknowledgement when plain text in a chat went to its one open request without being asked: it names
// the request (id and subject) and offers Undo for a short while, because the sender may have meant the bot.

export interface RelayPassedInput {
  /** Where it went: "Defender Experts (Q-7K2M9P · Is the sign-in…)". */
  readonly where: string;
  readonly pairId: string;
  /** The platform id of the message that was passed on. */
  readonly sourceId: string;
  /** How long Undo works, in minutes. */
  readonly undoMinutes: number;
}

/** "Passed on to …" with an Undo button that withdraws the copy. */
export function relayPassedCard(input: RelayPassedInput): CardMessage {
  const text = `Passed on to ${plainLine(input.where, LIMITS.line)}.`;
  const hint = `Not meant for them? Undo within ${input.undoMinutes} minutes withdraws it.`;
  return cardMessage(
    'relay-passed',
    {
      text: md(text),
      hint: md(hint),
      undo: execute('Undo', {
        verb: QUESTION_VERBS.relayUndo,
        data: { pairId: input.pairId, sourceId: input.sourceId },
      }),
    },
    [text, hint],
  );
}
