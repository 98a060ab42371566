import { commandWordOf } from '../relay/command-words.js';
import type { Command, ParseFailure } from './command.js';
import { TIME_HINT } from './grammar.js';
import { commandForWord, loosePhrasings } from './registry.js';

// Parses chat text into a Command: the exact command grammar first, then light natural phrasing
// ("what's the status of incident 42" → incident 42). Pure; the router handles length limits. The grammar
// and phrasings are each command's own (bot/commands/defs); this file only applies them in order.

const words = (s: string): string[] => s.split(/\s+/).filter((w) => w !== '');

// Each definition's parse yields its own command shapes; the registry's union is exactly those.
type Parsed = Command | ParseFailure | null;

function exact(text: string): Parsed {
  const [head = '', ...args] = words(text);
  const definition = commandForWord(head.toLowerCase());
  if (definition?.parse === undefined) return null;
  const rest = text.slice(text.indexOf(head) + head.length).trim();
  return definition.parse({ args, rest }) as Parsed;
}

/** Natural phrasings mapped onto the grammar, in rank order: the first match wins. */
function natural(text: string): Command | null {
  const lower = text
    .toLowerCase()
    .replace(/[?!.,]+$/g, '')
    .replace(/[’']/g, "'")
    .trim();
  for (const phrasing of loosePhrasings()) {
    const found = phrasing.match({ lower, raw: text });
    if (found === 'none') return null;
    if (found !== null) return found as Command;
  }
  return null;
}

/** Parses one message. Never throws; unmapped text yields a failure with a short hint. */
export function parseCommand(raw: string): Command | ParseFailure {
  // Whitespace inside a question is kept (line breaks matter to the experts); only the ends are trimmed.
  const text = raw.trim().replace(/^\/experts\s*/i, '');
  if (text === '') return { name: 'help' };
  // A message that starts with a command word is held to that command's grammar: a precise hint beats a guess.
  const direct = exact(text);
  if (direct !== null) return direct;
  const mapped = natural(text);
  if (mapped !== null) return mapped;
  const t = text.toLowerCase();
  if (/^(?:thanks?|thank you|thx|ty|cheers|great|ok(?:ay)?|got it)\b[\s!.]*\w*[\s!.]*$/.test(t))
    return { name: 'unknown', hint: 'You’re welcome. Send "help" any time to see what I can do.' };
  if (/\bincidents?\b/.test(t)) return { name: 'unknown', hint: TIME_HINT };
  if (/^(?:show\s+)?(?:the\s+)?(?:config|configuration|settings|alert settings|subscription)$/.test(t))
    return {
      name: 'unknown',
      hint: 'I can’t show this channel’s alert settings on their own yet. An admin sets them with "subscribe [all|handoff|resolved|…]" in the channel, and the answer lists the rules then active. Send "help" for the rest.',
    };
  // A slip of a command word gets the word it is one keystroke from, wherever it is typed.
  const slip = commandWordOf(text);
  const didYouMean = slip !== null && !slip.exact ? `Did you mean "${slip.word}"? ` : '';
  return {
    name: 'unknown',
    hint: `${didYouMean}I did not understand that. Try "help", "incidents awaiting" or "incident 42".`,
  };
}
