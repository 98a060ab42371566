import type { Principal } from '../../bot/domain/actor.js';
import type { Directory } from '../../bot/domain/customer.js';
import { BotError } from '../../bot/errors.js';
import type { Clock } from '../../bot/ports.js';
import type { SlackApi } from './transport/slack-api.js';

// Who is asking, as the core needs it: Principal.workspaceId is the Slack team of the USER, never only the
// channel's. In a Slack Connect channel shared with a customer, an outsider's messages arrive with the
// customer's team_id; their own team (payload hint, else users.info) decides. For Enterprise Grid the
// user's org id is used when the customers file names the org (E…) rather than the workspace. Names come
// from the user's profile (users.info, cached), so labels read "Alice Analyst", never a member id.

export interface IdentityInput {
  /** Token of the installation that received the request (for users.info). */
  readonly token: string;
  readonly userId: string;
  /** The user's own team from the payload (event.user_team / event.team, user.team_id), if given. */
  readonly userTeam: string | null;
  /** A display name from the payload, if given. */
  readonly displayName: string | null;
}

/** The one place a Slack user becomes a Principal (so the customer is never taken from the channel). */
export interface SlackIdentity {
  /** Resolves the principal; fails closed (throws) when the user's team cannot be established. */
  principal(input: IdentityInput): Promise<Principal>;
}

interface UserInfo {
  readonly teamId: string | null;
  readonly enterpriseId: string | null;
  readonly name: string | null;
  readonly at: number;
}

const CACHE_MS = 10 * 60_000;
const CACHE_MAX = 5_000;

const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** Creates the resolver over the customers file; users.info answers are cached for ten minutes. */
export function createSlackIdentity(deps: {
  api: SlackApi;
  directory: Directory;
  clock: Clock;
}): SlackIdentity {
  const known = new Set<string>(
    [...deps.directory.customers.map((c) => c.slackTeamId), deps.directory.experts.slackTeamId].filter(
      (id): id is string => id !== null,
    ),
  );
  const cache = new Map<string, UserInfo>();

  async function userInfo(token: string, userId: string): Promise<UserInfo> {
    const now = deps.clock.now().getTime();
    const hit = cache.get(userId);
    if (hit !== undefined && now - hit.at < CACHE_MS) return hit;
    let result: Readonly<Record<string, unknown>>;
    try {
      result = await deps.api.call(token, 'users.info', { user: userId }, { retryThrottled: true });
    } catch (error) {
      throw new BotError(
        'platform_error',
        'cannot establish the Slack user’s workspace (users.info failed)',
        {
          cause: error,
        },
      );
    }
    const user = (result.user ?? {}) as Record<string, unknown>;
    const enterprise = (user.enterprise_user ?? {}) as Record<string, unknown>;
    const profile = (user.profile ?? {}) as Record<string, unknown>;
    const info: UserInfo = {
      teamId: text(user.team_id),
      enterpriseId: text(enterprise.enterprise_id),
      // The name people know each other by, as Teams shows a member's name: the full name, else the one
      // they chose to display; the handle only when the profile has neither.
      name: text(profile.real_name) ?? text(user.real_name) ?? text(profile.display_name) ?? text(user.name),
      at: now,
    };
    if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value as string);
    cache.set(userId, info);
    return info;
  }

  /** The profile name for labels ("Asked by …"); a lookup failure only costs the name, never the turn. */
  async function nameOf(token: string, userId: string): Promise<string | null> {
    try {
      return (await userInfo(token, userId)).name;
    } catch {
      return null;
    }
  }

  return {
    async principal(input) {
      const base = { platform: 'slack' as const, userId: input.userId };
      if (input.userTeam !== null && known.has(input.userTeam)) {
        const name = await nameOf(input.token, input.userId);
        return {
          ...base,
          workspaceId: input.userTeam,
          displayName: name ?? input.displayName ?? input.userId,
        };
      }
      const info = await userInfo(input.token, input.userId);
      const candidates = [input.userTeam, info.teamId, info.enterpriseId].filter(
        (c): c is string => c !== null,
      );
      const workspaceId = candidates.find((c) => known.has(c)) ?? candidates[0];
      if (workspaceId === undefined) {
        throw new BotError('platform_error', 'the Slack user has no team id');
      }
      return { ...base, workspaceId, displayName: info.name ?? input.displayName ?? input.userId };
    },
  };
}
