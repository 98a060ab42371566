import type { Permission } from '../authz/grants.js';
import type { FlowContext } from '../flows/context.js';
import type { Reply } from '../ports.js';

// A chat command declared once: its words, grammar, phrasings, help line, Teams listing, who may use it and
// its handler. The registry (registry.ts) lists the definitions; the parser, the relay's command words,
// help, the permission table and the Teams manifest's command lists are all read from it.

/** What a parsed command is: its name and its arguments. */
export interface ParsedCommand {
  readonly name: string;
}

/** What the parser returns when it cannot map the text: the hint says what was close. */
export interface ParseFailure {
  readonly name: 'unknown';
  readonly hint: string;
}

/** A message that starts with one of the command's words, split for its grammar. */
export interface CommandInput {
  /** The words after the command word, as typed. */
  readonly args: readonly string[];
  /** The text after the command word, trimmed, inner whitespace and line breaks kept. */
  readonly rest: string;
}

/** A message for the looser phrasings: lower case without closing punctuation, and as typed. */
export interface PhrasingInput {
  readonly lower: string;
  readonly raw: string;
}

/**
 * One loose phrasing ("what's the status of 42"). Phrasings of all commands are tried in `rank` order (lower
 * first, ranks unique); `'none'` ends the search with no command, so the parser's general hints answer.
 */
export interface Phrasing<P extends ParsedCommand> {
  readonly rank: number;
  readonly match: (input: PhrasingInput) => P | 'none' | null;
}

/** Where a command is offered in Teams' command menu: personal chats, and teams and group chats. */
export type TeamsScope = 'personal' | 'channel';

/** Who reads a help line: a customer's people, the provider's experts, the provider's SDMs. */
export type HelpAudience = 'customer' | 'expert' | 'sdm';
export type HelpLine = { readonly usage: string; readonly description: string } | null;

export interface CommandDefinition<C extends ParsedCommand, P extends ParsedCommand = C> {
  readonly name: C['name'];
  /** More first words held to this grammar ("?" for help). The name is the first word, when `parse` is given. */
  readonly aliases?: readonly string[];
  /**
   * The grammar after the command word: a command, a failure with a precise hint, or null when the text is
   * not this command after all (then the looser phrasings get it). Without `parse` the command has no word
   * of its own and is reached only through another command's grammar (`incident <customer> <id>`).
   */
  readonly parse?: (input: CommandInput) => P | ParseFailure | null;
  readonly phrasings?: {
    /**
     * Whole-message phrasings the help and README teach (lower case, closing punctuation dropped): taken as
     * this command even in a chat where the message could be meant for a person.
     */
    readonly taught?: readonly RegExp[];
    /** Looser matching, used only where nothing else could be meant. */
    readonly loose?: readonly Phrasing<P>[];
  };
  /** The help line; an empty usage leaves the command out of help. */
  readonly usage: string;
  readonly description: string;
  /** Help lines per audience, for commands whose grammar differs by who asks (null: not listed for them). */
  readonly helpFor?: Readonly<Record<HelpAudience, HelpLine>>;
  /** Teams' command menu lists the command word with its description here (default: everywhere). */
  readonly teams?: readonly TeamsScope[];
  /** Who may use it; the flow then narrows by data, never widens. */
  readonly requires: Permission;
  // A method, so definitions of different commands share one list (the router picks by name).
  handle(ctx: FlowContext, command: C): Promise<readonly Reply[]>;
}

/** Declares one command (the identity function, for the types). */
export const defineCommand = <C extends ParsedCommand, P extends ParsedCommand = C>(
  definition: CommandDefinition<C, P>,
): CommandDefinition<C, P> => definition;
