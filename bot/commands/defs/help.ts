import { anyone } from '../../authz/grants.js';
import { showHelp } from '../../flows/help.js';
import type { Reply } from '../../ports.js';
import { defineCommand } from '../define.js';
import { commands } from '../registry.js';

// `help` (or `?`, or a greeting): what this caller may use, drawn from the registry.

export type HelpCommand = { readonly name: 'help' };

export const help = defineCommand<HelpCommand>({
  name: 'help',
  aliases: ['?'],
  parse: () => ({ name: 'help' }),
  phrasings: {
    loose: [
      {
        rank: 20,
        match: ({ lower }) =>
          /^(hi|hello|hey|help me|what can you do|commands)\b/.test(lower) ? { name: 'help' } : null,
      },
    ],
  },
  usage: 'help',
  description: 'What I can do for you',
  requires: anyone,
  handle: (ctx): Promise<readonly Reply[]> => showHelp(ctx, commands()),
});
