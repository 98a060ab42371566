import { commandWordOf } from '../relay/command-words.js';
import type { Command } from './command.js';
import { parseCommand } from './parse.js';
import { taughtPhrasings } from './registry.js';

// Where a message could also be meant for a person (a chat with an open request), only what is surely a
// command is taken as one: the exact grammar, or one of the phrasings the help and README teach. The looser
// natural matching of parse.ts ("…status…" anywhere) would swallow follow-ups such as "the status is fine",
// so it is used only where nothing else could be meant. The taught phrasings are each command's own
// (`phrasings.taught` in bot/commands/defs).

const normalise = (text: string): string =>
  text
    .trim()
    .replace(/^\/experts\s*/i, '')
    .toLowerCase()
    .replace(/[’']/g, "'")
    .replace(/\s+/g, ' ')
    .replace(/[?!.,]+$/g, '')
    .trim();

/**
 * The command a message surely is (a command word with valid arguments, or a documented phrasing), else
 * null: then it may be prose for a person, and the relay decides.
 */
export function commandIntent(text: string): Command | null {
  const word = commandWordOf(text);
  if (word?.exact) {
    const parsed = parseCommand(text);
    return parsed.name === 'unknown' ? null : parsed;
  }
  const t = normalise(text);
  if (!taughtPhrasings().some((re) => re.test(t))) return null;
  const parsed = parseCommand(text);
  return parsed.name === 'unknown' ? null : parsed;
}
