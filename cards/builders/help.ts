import type { Role } from '../../bot/domain/actor.js';
import { LIMITS, plainLine } from '../escape.js';
import { rolesLabel } from '../format.js';
import type { CardMessage } from '../types.js';
import { listPayload } from '../verbs.js';
import { cardMessage, type ExecuteView, execute, md } from '../view.js';

// `help`: what this caller can do, derived by the flow from its registered routes; features not built
// yet say "coming soon" instead of pretending.

export interface HelpCommand {
  readonly usage: string;
  readonly description: string;
  /** False for a feature not built yet: listed last, marked "coming soon". */
  readonly available?: boolean;
}

export interface HelpInput {
  readonly roles: ReadonlySet<Role>;
  readonly commands: readonly HelpCommand[];
}

const CUSTOMER_ROLES: readonly Role[] = ['analyst', 'responder', 'admin'];

/** The commands for this role, available ones first, with shortcuts to the incident lists. */
export function helpCard(input: HelpInput): CardMessage {
  const ready = (c: HelpCommand): boolean => c.available !== false;
  const commands = [...input.commands].sort((a, b) => Number(ready(b)) - Number(ready(a)));
  const roles = rolesLabel(input.roles);
  const describe = (c: HelpCommand): string =>
    `${plainLine(c.description, LIMITS.line)}${ready(c) ? '' : ' — coming soon'}`;
  const isCustomer = CUSTOMER_ROLES.some((r) => input.roles.has(r));
  const actions: ExecuteView[] = isCustomer
    ? [
        execute('Awaiting my action', listPayload('awaiting', null, 0)),
        execute('Open incidents', listPayload('open', null, 0)),
      ]
    : [];
  const hint =
    'In Teams, mention me or message me directly; in Slack, use /experts, mention me or send me a DM.';
  const empty = 'There is nothing I can do for you here yet. Ask your admin to assign you a role.';

  return cardMessage(
    'help',
    {
      title: md('What I can do'),
      subtitle: md(`For you as: ${roles}`),
      isEmpty: commands.length === 0,
      emptyText: md(empty),
      commands: commands.map((c) => ({
        usage: md(plainLine(c.usage, LIMITS.line)),
        description: md(describe(c)),
        soon: !ready(c),
      })),
      hint: md(hint),
      actions,
    },
    [
      `What I can do — for you as: ${roles}`,
      ...(commands.length === 0
        ? [empty]
        : commands.map((c) => `- ${plainLine(c.usage, LIMITS.line)}: ${describe(c)}`)),
      hint,
    ],
  );
}
