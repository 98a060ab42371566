import type { AudienceFacts } from '../../bot/audience.js';
import type { Logger } from '../../bot/ports.js';
import type { TeamsOrigin } from './inbound.js';

// Who can read a Teams conversation, for the core's audience rule. A 1:1 chat is the person alone. A
// standard or private channel holds its team's tenant only (guests are members of that tenant). A shared
// channel (channelData.channel.membershipType "shared", or a host team of another tenant) and a group
// chat can hold people of other tenants: the Bot Connector's member list says which (each member carries
// its tenantId). Answers are cached per conversation and forgotten when its membership changes.

const CACHE_MS = 5 * 60_000;
const CACHE_MAX = 5_000;
/** Beyond this many pages (500 members each) the conversation is treated as unknown. */
const MAX_PAGES = 20;

/** One page of the Bot Connector's paged member list (GET v3/conversations/{id}/pagedmembers). */
export interface MemberPage {
  readonly members?: ReadonlyArray<{ readonly id?: string; readonly tenantId?: string }>;
  readonly continuationToken?: string;
}

/** Reads one page of members of a conversation (the handler binds it to the turn's connector client). */
export type ReadMembers = (
  conversationId: string,
  continuationToken: string | undefined,
) => Promise<MemberPage>;

/** What the adapter learnt: the facts for the core, and the sender's own tenant when the list named it. */
export interface TeamsAudienceAnswer {
  readonly facts: AudienceFacts;
  readonly senderTenant: string | null;
}

export interface TeamsAudience {
  inspect(origin: TeamsOrigin, channelData: unknown, readMembers: ReadMembers): Promise<TeamsAudienceAnswer>;
  /** Forgets a conversation's answer (members were added or removed). */
  forget(conversationKey: string): void;
}

type Json = Readonly<Record<string, unknown>>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** What the activity itself says about a channel: its membership type and the host team's tenant. */
export function channelShape(channelData: unknown): { membershipType: string; hostTenant: string } {
  const cd = isRecord(channelData) ? channelData : {};
  const channel = isRecord(cd.channel) ? cd.channel : {};
  const team = isRecord(cd.team) ? cd.team : {};
  return { membershipType: str(channel.membershipType), hostTenant: str(team.tenantId) };
}

/** Creates the lookup with its cache. */
export function createTeamsAudience(deps: { logger: Logger; now?: () => number }): TeamsAudience {
  const now = deps.now ?? Date.now;
  const cache = new Map<string, { answer: Map<string, string>; at: number }>();

  /** Every member's tenant, by member id; null when the list cannot be read in full. */
  async function members(origin: TeamsOrigin, read: ReadMembers): Promise<Map<string, string> | null> {
    const key = origin.conversation.id;
    const hit = cache.get(key);
    if (hit !== undefined && now() - hit.at < CACHE_MS) return hit.answer;
    const tenants = new Map<string, string>();
    let token: string | undefined;
    try {
      for (let page = 0; page < MAX_PAGES; page += 1) {
        const result = await read(origin.address.conversationId, token);
        for (const m of result.members ?? []) {
          // A member without a tenant cannot be placed: the whole list is not trusted.
          if (!m.id || !m.tenantId) return null;
          tenants.set(m.id, m.tenantId);
        }
        token = result.continuationToken || undefined;
        if (token === undefined) break;
      }
    } catch (error) {
      deps.logger.warn(
        { err: error, conversation: origin.address.conversationId },
        'Teams: members could not be read; answering privately',
      );
      return null;
    }
    if (token !== undefined) return null;
    cache.delete(key);
    if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value as string);
    cache.set(key, { answer: tenants, at: now() });
    return tenants;
  }

  return {
    async inspect(origin, channelData, readMembers) {
      const kind = origin.conversation.kind;
      if (kind === 'personal') return { facts: { kind: 'private' }, senderTenant: null };
      const tenant = origin.address.tenantId;
      const { membershipType, hostTenant } = channelShape(channelData);
      const spansTenants =
        kind === 'group' || membershipType === 'shared' || (hostTenant !== '' && hostTenant !== tenant);
      if (!spansTenants)
        return { facts: { kind: 'organisations', organisations: [tenant] }, senderTenant: null };
      const listed = await members(origin, readMembers);
      if (listed === null)
        return { facts: { kind: 'unknown', reason: 'members not readable' }, senderTenant: null };
      const organisations = [
        ...new Set([tenant, ...(hostTenant === '' ? [] : [hostTenant]), ...listed.values()]),
      ];
      return {
        facts: { kind: 'organisations', organisations },
        senderTenant: listed.get(origin.memberId) ?? null,
      };
    },
    forget(conversationKey) {
      cache.delete(conversationKey);
    },
  };
}
