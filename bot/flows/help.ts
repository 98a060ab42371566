import { helpCard } from '../../cards/index.js';
import { permits } from '../authz/grants.js';
import type { HelpAudience, HelpLine } from '../commands/define.js';
import type { AnyCommandDefinition } from '../commands/registry.js';
import type { Reply } from '../ports.js';
import { cardReply } from '../replies.js';
import { type FlowContext, hasRole } from './context.js';

// `help`: what the bot can do for this caller's role, derived from the registered commands so the list can
// never drift from what actually answers.

function audiencesOf(ctx: FlowContext): readonly HelpAudience[] {
  if (ctx.customer !== null) return ['customer'];
  const found: HelpAudience[] = [];
  if (hasRole(ctx.actor, 'expert')) found.push('expert');
  if (hasRole(ctx.actor, 'sdm')) found.push('sdm');
  return found;
}

/**
 * Lists the commands this caller may use. Commands open to several audiences with different grammar for each
 * (`helpFor`) show each audience its own line, or none (no "report" for experts, no "(SDM)" forms for a
 * customer's people).
 */
export async function showHelp(
  ctx: FlowContext,
  commands: readonly AnyCommandDefinition[],
): Promise<readonly Reply[]> {
  const audiences = audiencesOf(ctx);
  const lines = commands
    .filter((c) => c.usage !== '' && permits(ctx.actor, c.requires))
    .flatMap((c) => {
      const table = c.helpFor;
      if (table === undefined) return [{ usage: c.usage, description: c.description }];
      // One line per command: with several audiences (an expert who is also an SDM) the last one wins.
      const entry = audiences
        .map((a) => table[a])
        .filter((e): e is NonNullable<HelpLine> => e !== null)
        .at(-1);
      return entry === undefined ? [] : [entry];
    });
  return [cardReply(helpCard({ roles: ctx.actor.roles, commands: lines }))];
}
