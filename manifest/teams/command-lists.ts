import { teamsMenu } from '../../bot/commands/registry.js';

// The bot's command menus in Teams, drawn from the command registry (bot/commands/registry.ts): each command
// word with the description help shows, in personal chats and in teams and group chats as each definition's
// `teams` says. manifest.json carries none, so the menus cannot drift from what the bot answers.

/** What Teams shows for one command: the word, and a description of at most 128 characters. */
export interface TeamsCommand {
  readonly title: string;
  readonly description: string;
}

export interface TeamsCommandList {
  readonly scopes: readonly string[];
  readonly commands: readonly TeamsCommand[];
}

/** Teams lists at most this many commands per menu. */
export const MAX_MENU_COMMANDS = 12;

/** The manifest's `bots[].commandLists`: personal chats, then teams and group chats. */
export function teamsCommandLists(): readonly TeamsCommandList[] {
  const lists = [
    { scopes: ['personal'], commands: teamsMenu('personal') },
    { scopes: ['team', 'groupChat'], commands: teamsMenu('channel') },
  ];
  for (const list of lists) {
    if (list.commands.length > MAX_MENU_COMMANDS)
      throw new Error(
        `Teams command list for ${list.scopes.join('/')} has more than ${MAX_MENU_COMMANDS} commands`,
      );
    const long = list.commands.find((c) => c.description.length > 128 || c.title.length > 32);
    if (long !== undefined) throw new Error(`Teams command "${long.title}": title or description too long`);
  }
  return lists;
}
