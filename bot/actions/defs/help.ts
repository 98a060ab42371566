import { z } from 'zod/v4';
import { VERBS } from '../../../cards/verbs.js';
import { anyone } from '../../authz/grants.js';
import { commands } from '../../commands/registry.js';
import { showHelp } from '../../flows/help.js';
import type { Reply } from '../../ports.js';
import { defineAction } from '../define.js';

// The help button: the same list as the `help` command.

export const helpButton = defineAction({
  verb: VERBS.help,
  schema: z.object({}),
  requires: anyone,
  handle: (ctx): Promise<readonly Reply[]> => showHelp(ctx, commands()),
});
