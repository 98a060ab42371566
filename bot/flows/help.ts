import { helpCard } from '../../cards/index.js';
import type { Reply } from '../ports.js';
import { cardReply } from '../replies.js';
import { allowed, type CommandRoute, type FlowContext } from './context.js';

// `help`: what the bot can do for this caller's role, derived from the registered routes so the list can
// never drift from what actually answers.

/** Lists the routes this caller may use; those whose issue has not landed are marked "coming soon". */
export async function showHelp(ctx: FlowContext, routes: readonly CommandRoute[]): Promise<readonly Reply[]> {
  const commands = routes
    .filter((r) => r.usage !== '' && allowed(ctx, r.requires))
    .map((r) => ({ usage: r.usage, description: r.description, available: r.available }));
  return [cardReply(helpCard({ roles: ctx.actor.roles, commands }))];
}
