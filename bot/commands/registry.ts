import type { Permission } from '../authz/grants.js';
import type { CommandDefinition, ParsedCommand, Phrasing, TeamsScope } from './define.js';
import { subscribe, unsubscribe } from './defs/alerts.js';
import { ask } from './defs/ask.js';
import { checkin } from './defs/checkin.js';
import { help } from './defs/help.js';
import { incident, incidentFor } from './defs/incident.js';
import { incidents } from './defs/incidents.js';
import { messages } from './defs/messages.js';
import { questions } from './defs/questions.js';
import { report } from './defs/report.js';
import { escalate, sdm } from './defs/sdm.js';
import { summary, summaryFor } from './defs/summary.js';

// The one list of chat commands, in help order. Everything else about commands is read from here: the
// parser's command words and phrasings (parse.ts, phrasing.ts), the relay's command words
// (bot/relay/command-words.ts), help, the permission table (bot/authz/permissions.ts, docs/security.md) and
// the Teams manifest's command lists (manifest/teams). A duplicate name, word or phrasing rank throws here,
// when the bot starts.

export const COMMANDS = [
  help,
  summary,
  incidents,
  incident,
  incidentFor,
  summaryFor,
  ask,
  questions,
  sdm,
  escalate,
  report,
  checkin,
  messages,
  subscribe,
  unsubscribe,
] as const;

/** Any registered command, as the router and the generators see it. */
export type AnyCommandDefinition = CommandDefinition<ParsedCommand, ParsedCommand>;

/** The same list, as the router and the generators read it. */
export const ALL_COMMANDS: readonly AnyCommandDefinition[] = COMMANDS;
const ALL = ALL_COMMANDS;

/** The words a definition holds to its grammar: its name and aliases, when it has a grammar of its own. */
export const wordsOf = (d: AnyCommandDefinition): readonly string[] =>
  d.parse === undefined ? [] : [d.name, ...(d.aliases ?? [])];

/** Throws on what would make the registry ambiguous: a name, word or phrasing rank used twice. */
export function checkRegistry(list: readonly AnyCommandDefinition[]): void {
  const seen = (kind: string) => {
    const set = new Set<string>();
    return (key: string, owner: string) => {
      if (set.has(key)) throw new Error(`command registry: ${kind} "${key}" is used twice (${owner})`);
      set.add(key);
    };
  };
  const name = seen('name');
  const word = seen('word');
  const rank = seen('phrasing rank');
  for (const d of list) {
    name(d.name, d.name);
    for (const w of wordsOf(d)) word(w, d.name);
    for (const p of d.phrasings?.loose ?? []) rank(String(p.rank), d.name);
  }
}

checkRegistry(ALL);

const BY_NAME = new Map(ALL.map((d) => [d.name, d]));
const BY_WORD = new Map(ALL.flatMap((d) => wordsOf(d).map((w) => [w, d] as const)));

/** The definition registered under a command name, if any. */
export const commandNamed = (name: string): AnyCommandDefinition | undefined => BY_NAME.get(name);

/** The definition whose grammar a first word (lower case) holds the message to, if any. */
export const commandForWord = (word: string): AnyCommandDefinition | undefined => BY_WORD.get(word);

/** Every command word, in help order. */
export const COMMAND_WORDS: readonly string[] = ALL.flatMap(wordsOf);

/** Every loose phrasing, in rank order. */
export const LOOSE_PHRASINGS: readonly Phrasing<ParsedCommand>[] = ALL.flatMap(
  (d) => d.phrasings?.loose ?? [],
).sort((a, b) => a.rank - b.rank);

/** Every taught phrasing. */
export const TAUGHT_PHRASINGS: readonly RegExp[] = ALL.flatMap((d) => d.phrasings?.taught ?? []);

/** Who may use each command, by name, in help order. */
export const commandPermissions = (): ReadonlyArray<readonly [string, Permission]> =>
  ALL.map((d) => [d.name, d.requires] as const);

/** The commands Teams offers in one scope's command menu: each word with its help description. */
export const teamsMenu = (
  scope: TeamsScope,
): ReadonlyArray<{ readonly title: string; readonly description: string }> =>
  ALL.filter((d) => wordsOf(d).length > 0 && (d.teams ?? ['personal', 'channel']).includes(scope)).map(
    (d) => ({
      title: d.name,
      description: d.description,
    }),
  );
