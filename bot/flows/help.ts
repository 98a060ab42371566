import { helpCard } from '../../cards/index.js';
import { COMMAND_PERMISSIONS, permits } from '../authz/permissions.js';
import type { CommandName } from '../commands/command.js';
import type { Reply } from '../ports.js';
import { cardReply } from '../replies.js';
import { type CommandRoute, type FlowContext, hasRole } from './context.js';

// `help`: what the bot can do for this caller's role, derived from the registered routes so the list can
// never drift from what actually answers.

type Audience = 'customer' | 'expert' | 'sdm';
type Entry = { readonly usage: string; readonly description: string } | null;

// Routes open to 'anyone' whose handlers then serve only some audiences, and with different grammar for
// each: each audience sees its own line, or none (no "report" for experts, no "(SDM)" forms for
// a customer's people).
const BY_AUDIENCE: Partial<Record<CommandName, Readonly<Record<Audience, Entry>>>> = {
  questions: {
    customer: { usage: 'questions', description: 'Your questions to the experts and their state' },
    expert: { usage: 'questions', description: 'The experts’ question queue' },
    sdm: null,
  },
  incidentFor: {
    customer: null,
    expert: { usage: 'incident <customer> <id>', description: 'One customer’s incident (read-only)' },
    sdm: {
      usage: 'incident <customer> <id>',
      description: 'An incident of one of your customers (read-only)',
    },
  },
  summaryFor: {
    customer: null,
    expert: { usage: 'summary <customer>', description: 'One customer’s Defender Experts summary' },
    sdm: {
      usage: 'summary <customer>',
      description: 'The Defender Experts summary of one of your customers',
    },
  },
  report: {
    customer: { usage: 'report [7d|30d|90d|YYYY-MM]', description: 'Service report with chart and CSV' },
    expert: null,
    sdm: {
      usage: 'report <customer> [7d|30d|90d|YYYY-MM]',
      description: 'A customer’s service report; a completed month can be posted as the business review',
    },
  },
  checkin: {
    customer: { usage: 'checkin', description: 'Your readiness check-in checklist' },
    expert: null,
    sdm: {
      usage: 'checkin · checkin start <customer>',
      description: 'Readiness check-ins of your customers',
    },
  },
};

function audiencesOf(ctx: FlowContext): readonly Audience[] {
  if (ctx.customer !== null) return ['customer'];
  const found: Audience[] = [];
  if (hasRole(ctx.actor, 'expert')) found.push('expert');
  if (hasRole(ctx.actor, 'sdm')) found.push('sdm');
  return found;
}

/** Lists the routes this caller may use; those not built yet are marked "coming soon". */
export async function showHelp(ctx: FlowContext, routes: readonly CommandRoute[]): Promise<readonly Reply[]> {
  const audiences = audiencesOf(ctx);
  const commands = routes
    .filter((r) => r.usage !== '' && permits(ctx.actor, COMMAND_PERMISSIONS[r.command]))
    .flatMap((r) => {
      const table = BY_AUDIENCE[r.command];
      if (table === undefined)
        return [{ usage: r.usage, description: r.description, available: r.available }];
      // One line per command: with several audiences (an expert who is also an SDM) the last one wins.
      const entry = audiences
        .map((a) => table[a])
        .filter((e): e is NonNullable<Entry> => e !== null)
        .at(-1);
      return entry === undefined ? [] : [{ ...entry, available: r.available }];
    });
  return [cardReply(helpCard({ roles: ctx.actor.roles, commands }))];
}
