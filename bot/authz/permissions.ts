import type { Verb } from '../../cards/verbs.js';
import { actionPermissions } from '../actions/registry.js';
import type { CommandName } from '../commands/command.js';
import { commandPermissions } from '../commands/registry.js';
import type { Permission } from './grants.js';

export { type Grantee, type Permission, permits } from './grants.js';

// Who may use each command and each card verb: one table, role × verb, gathered from the definitions'
// `requires` (the router and help read those directly) for the docs generator and the security tests. The
// flows then narrow by data (a customer's own records, the customers an SDM manages, the asker of a
// question), never widen.

/** Commands typed in chat: each definition's `requires` (bot/commands/defs), by name. */
export const COMMAND_PERMISSIONS = Object.fromEntries(commandPermissions()) as {
  readonly [N in CommandName]: Permission;
};

/** Card buttons and forms: each definition's `requires` (bot/actions/defs), by verb. */
export const VERB_PERMISSIONS = Object.fromEntries(actionPermissions()) as {
  readonly [V in Verb]: Permission;
};
