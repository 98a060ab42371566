import type { Customer } from '../../bot/domain/customer.js';
import { ChatDeliveryError } from '../../bot/errors.js';
import type { ChatPort } from '../../bot/ports.js';
import type { AffectedUserReach, ReachResult } from '../../bot/user-check/user-check-ports.js';
import type { SlackApi } from './transport/slack-api.js';

// "Was this you?" on Slack: the affected person is found by the email Entra knows them by
// (users.lookupByEmail, scope users:read.email) in the customer's linked workspace, then asked in a DM
// (conversations.open + chat.postMessage, through the ChatPort). At answer time the clicker's user id is
// checked against a fresh lookup, so a deactivated account or a changed email no longer answers.

interface Deps {
  readonly api: SlackApi;
  readonly tokens: (installation: string) => Promise<string>;
  readonly chat: ChatPort;
}

type Lookup =
  | { readonly kind: 'user'; readonly id: string; readonly team: string | null; readonly active: boolean }
  | { readonly kind: 'unreachable'; readonly reason: string };

/** The Slack error code of a failed call ("users_not_found"), from its ChatDeliveryError. */
const codeOf = (error: unknown): string =>
  error instanceof ChatDeliveryError ? (/: ([a-z_]+)$/.exec(error.message)?.[1] ?? error.failure) : 'error';

const REASONS: Readonly<Record<string, string>> = {
  users_not_found:
    'No member of the linked Slack workspace has that email address: they must be in the workspace (a guest or someone outside it cannot be asked).',
  missing_scope: 'The Slack app lacks the users:read.email scope: reinstall it with that scope.',
  not_allowed_token_type: 'The Slack app’s token cannot look people up by email.',
  invalid_auth: 'The Slack app is not installed in the linked workspace any more.',
  account_inactive: 'The Slack app is not installed in the linked workspace any more.',
};

/** Creates the Slack reach over the adapter's API layer, token source and ChatPort. */
export function createSlackUserReach(deps: Deps): AffectedUserReach {
  async function lookup(customer: Customer, upn: string): Promise<Lookup> {
    const team = customer.slackTeamId;
    if (team === null)
      return { kind: 'unreachable', reason: `${customer.name} has no linked Slack workspace.` };
    let token: string;
    try {
      token = await deps.tokens(team);
    } catch {
      return { kind: 'unreachable', reason: 'The Slack app is not installed in the linked workspace.' };
    }
    try {
      const r = await deps.api.call(token, 'users.lookupByEmail', { email: upn }, { retryThrottled: true });
      const user = (r.user ?? {}) as Record<string, unknown>;
      if (typeof user.id !== 'string') return { kind: 'unreachable', reason: 'Slack named nobody.' };
      return {
        kind: 'user',
        id: user.id,
        team: typeof user.team_id === 'string' ? user.team_id : null,
        active: user.deleted !== true && user.is_bot !== true,
      };
    } catch (error) {
      const code = codeOf(error);
      return {
        kind: 'unreachable',
        reason: REASONS[code] ?? `Slack could not look them up (${code}).`,
      };
    }
  }

  return {
    async find({ customer, upn }): Promise<ReachResult> {
      const found = await lookup(customer, upn);
      if (found.kind === 'unreachable') return found;
      if (!found.active) return { kind: 'unreachable', reason: 'Their Slack account is deactivated.' };
      if (found.team !== null && found.team !== customer.slackTeamId)
        return { kind: 'unreachable', reason: 'They are not a member of the linked Slack workspace.' };
      try {
        const dm = await deps.chat.directConversation?.(customer.slackTeamId ?? '', found.id);
        if (dm === null || dm === undefined)
          return { kind: 'unreachable', reason: 'Slack would not open a direct message with them.' };
        return { kind: 'found', userId: found.id, dm };
      } catch (error) {
        return {
          kind: 'unreachable',
          reason: `Slack would not open a direct message with them (${codeOf(error)}).`,
        };
      }
    },
    async confirm(customer, upn, userId) {
      const again = await lookup(customer, upn);
      return (
        again.kind === 'user' &&
        again.active &&
        again.id === userId &&
        (again.team === null || again.team === customer.slackTeamId)
      );
    },
    async dm(customer, userId) {
      if (customer.slackTeamId === null) return null;
      return (await deps.chat.directConversation?.(customer.slackTeamId, userId)) ?? null;
    },
  };
}
