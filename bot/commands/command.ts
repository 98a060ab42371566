import type { CommandDefinition, ParsedCommand } from './define.js';
import type { RegisteredCommands } from './registry.js';

// The chat grammar (docs/usage.md) as data. The parser produces these; flows consume them. Each command's
// shape is declared by its definition (bot/commands/defs); this is their union.

export type ReportPeriod =
  | { readonly kind: 'days'; readonly days: 7 | 30 | 90 }
  | { readonly kind: 'month'; readonly month: string };

type CommandOf<D> = D extends CommandDefinition<infer C extends ParsedCommand, ParsedCommand> ? C : never;

export type Command = CommandOf<RegisteredCommands[number]>;

export type CommandName = Command['name'];

export type { ParseFailure } from './define.js';
