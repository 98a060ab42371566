import { commandWordOf } from '../relay/command-words.js';
import type { Command } from './command.js';
import { parseCommand } from './parse.js';

// Where a message could also be meant for a person (a chat with an open request), only what is surely a
// command is taken as one: the exact grammar, or one of the phrasings the help and README teach. The looser
// natural matching of parse.ts ("…status…" anywhere) would swallow follow-ups such as "the status is fine",
// so it is used only where nothing else could be meant.

/** The documented phrasings, matched against the whole message (lower case, closing punctuation dropped). */
const DOCUMENTED: readonly RegExp[] = [
  // "10503", "#10503"
  /^#?\d{1,12}$/,
  // "status 10503", "status of #10503", "details for incident 10503", "show incident 10503"
  /^(?:status|details?|show|open|view|check)\s+(?:of\s+|for\s+|on\s+)?(?:incident\s+|case\s+)?#?\d{1,12}$/,
  // "what's the status of (incident) 10503", "tell me the status of #10503"
  /^(?:what's|what is|whats|tell me|show me|give me|can you (?:check|tell me))\s+(?:the\s+)?(?:current\s+)?(?:status|details?|state)\s+(?:of|on|for)\s+(?:incident\s+|case\s+)?#?\d{1,12}$/,
  // "tell me about incident 10503", "how is incident 10503"
  /^(?:tell me about|what about|how is|how's)\s+(?:incident|case)\s+#?\d{1,12}$/,
  // "what needs my action", "what is waiting for our action", "what's awaiting us"
  /^what(?:'s|\s+is)?\s+(?:needs?|awaiting|waiting\s+(?:for|on))\s+(?:my|our|me|us)(?:\s+action)?$/,
  // "who is my SDM", "who's our service delivery manager"
  /^who(?:'s|\s+is)\s+(?:my|our)\s+(?:sdm|service delivery manager)$/,
  // "my questions", "show my open questions", "what are my questions"
  /^(?:show\s+|list\s+|what are\s+)?my\s+(?:open\s+)?questions$/,
];

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
  if (!DOCUMENTED.some((re) => re.test(t))) return null;
  const parsed = parseCommand(text);
  return parsed.name === 'unknown' ? null : parsed;
}
