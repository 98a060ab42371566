import type { Permission } from '../authz/grants.js';
import type { CommandDefinition, ParsedCommand, Phrasing, TeamsScope } from './define.js';
import { subscribe, unsubscribe } from './defs/alerts.js';
import { ask } from './defs/ask.js';
import { checkin } from './defs/checkin.js';
import { find } from './defs/find.js';
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

// A function, read when first needed: the definitions reach the flows, and the flows reach the parser and the
// relay, which read this list; whichever module is loaded first, the list is whole when it is read.
const list = () =>
  [
    help,
    summary,
    incidents,
    incident,
    find,
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

/** The registered definitions, each with its own types (the Command union is drawn from these). */
export type RegisteredCommands = ReturnType<typeof list>;

/** Any registered command, as the router and the generators see it. */
export type AnyCommandDefinition = CommandDefinition<ParsedCommand, ParsedCommand>;

/** The words a definition holds to its grammar: its name and aliases, when it has a grammar of its own. */
export const wordsOf = (d: AnyCommandDefinition): readonly string[] =>
  d.parse === undefined ? [] : [d.name, ...(d.aliases ?? [])];

/** Throws on what would make the registry ambiguous: a name, word or phrasing rank used twice. */
export function checkRegistry(definitions: readonly AnyCommandDefinition[]): void {
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
  for (const d of definitions) {
    name(d.name, d.name);
    for (const w of wordsOf(d)) word(w, d.name);
    for (const p of d.phrasings?.loose ?? []) rank(String(p.rank), d.name);
  }
}

interface Index {
  readonly all: readonly AnyCommandDefinition[];
  readonly byName: ReadonlyMap<string, AnyCommandDefinition>;
  readonly byWord: ReadonlyMap<string, AnyCommandDefinition>;
  readonly words: readonly string[];
  readonly loose: readonly Phrasing<ParsedCommand>[];
  readonly taught: readonly RegExp[];
}

let index: Index | undefined;

function built(): Index {
  if (index !== undefined) return index;
  const all: readonly AnyCommandDefinition[] = list();
  checkRegistry(all);
  index = {
    all,
    byName: new Map(all.map((d) => [d.name, d])),
    byWord: new Map(all.flatMap((d) => wordsOf(d).map((w) => [w, d] as const))),
    words: all.flatMap(wordsOf),
    loose: all.flatMap((d) => d.phrasings?.loose ?? []).sort((a, b) => a.rank - b.rank),
    taught: all.flatMap((d) => d.phrasings?.taught ?? []),
  };
  return index;
}

/** Every registered command, in help order; checks the registry the first time (the bot calls it at start). */
export const commands = (): readonly AnyCommandDefinition[] => built().all;

/** The definition registered under a command name, if any. */
export const commandNamed = (name: string): AnyCommandDefinition | undefined => built().byName.get(name);

/** The definition whose grammar a first word (lower case) holds the message to, if any. */
export const commandForWord = (word: string): AnyCommandDefinition | undefined => built().byWord.get(word);

/** Every command word, in help order. */
export const commandWords = (): readonly string[] => built().words;

/** Every loose phrasing, in rank order. */
export const loosePhrasings = (): readonly Phrasing<ParsedCommand>[] => built().loose;

/** Every taught phrasing. */
export const taughtPhrasings = (): readonly RegExp[] => built().taught;

/** Who may use each command, by name, in help order. */
export const commandPermissions = (): ReadonlyArray<readonly [string, Permission]> =>
  commands().map((d) => [d.name, d.requires] as const);

/** The commands Teams offers in one scope's command menu: each word with its help description. */
export const teamsMenu = (
  scope: TeamsScope,
): ReadonlyArray<{ readonly title: string; readonly description: string }> =>
  commands()
    .filter((d) => wordsOf(d).length > 0 && (d.teams ?? ['personal', 'channel']).includes(scope))
    .map((d) => ({ title: d.name, description: d.description }));
