import type { AudienceFacts } from '../../../bot/audience.js';
import type { ConversationRef } from '../../../bot/domain/conversation.js';
import type { Logger } from '../../../bot/ports.js';
import { decodeConversationId } from '../conversion/conversation-id.js';
import type { TeamsOrigin } from '../conversion/teams-inbound.js';

// Who can read a Teams conversation, for the core's audience rule. A 1:1 chat is the person alone. A
// standard or private channel holds its team's tenant only (guests are members of that tenant). A shared
// channel (channelData.channel.membershipType "shared", or a host team of another tenant) and a group
// chat can hold people of other tenants: the Bot Connector's member list says which (each member carries
// its tenantId). Answers are cached per conversation and forgotten when its membership changes.
//
// Posts the bot makes on its own (alerts, relayed replies, reports) have no activity to read the channel's
// shape from: the shape seen on the last activity of a channel is remembered (persisted, so a restart keeps
// it), and a channel of unknown shape or a group chat is asked for its members before each post (cached).

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

/** What a channel's activities said about it: its membership type and its host team's tenant. */
export interface ChannelShape {
  readonly membershipType: string;
  readonly hostTenant: string;
}

/** Where channel shapes are kept between activities and across restarts. */
export interface ShapeMemory {
  get(conversationKey: string): Promise<ChannelShape | null>;
  put(conversationKey: string, shape: ChannelShape): Promise<void>;
}

export interface TeamsAudience {
  inspect(origin: TeamsOrigin, channelData: unknown, readMembers: ReadMembers): Promise<TeamsAudienceAnswer>;
  /** Who reads a stored conversation now, for a post the bot makes on its own. */
  factsFor(conversation: ConversationRef, readMembers: ReadMembers): Promise<AudienceFacts>;
  /** Forgets a conversation's answer (members were added or removed). */
  forget(conversationKey: string): void;
}

type Json = Readonly<Record<string, unknown>>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** What the activity itself says about a channel: its membership type and the host team's tenant. */
export function channelShape(channelData: unknown): ChannelShape {
  const cd = isRecord(channelData) ? channelData : {};
  const channel = isRecord(cd.channel) ? cd.channel : {};
  const team = isRecord(cd.team) ? cd.team : {};
  return { membershipType: str(channel.membershipType), hostTenant: str(team.tenantId) };
}

/** Whether people of other tenants can be in the conversation, judged from its kind and shape. */
const spansTenants = (kind: ConversationRef['kind'], tenant: string, shape: ChannelShape): boolean =>
  kind === 'group' ||
  shape.membershipType === 'shared' ||
  (shape.hostTenant !== '' && shape.hostTenant !== tenant);

export interface TeamsAudienceDeps {
  readonly logger: Logger;
  /** Milliseconds for the cache's age (the composition's clock). */
  readonly now: () => number;
  readonly shapes: ShapeMemory;
}

/** Creates the lookup with its cache. */
export function createTeamsAudience(deps: TeamsAudienceDeps): TeamsAudience {
  const { now, shapes } = deps;
  const cache = new Map<string, { answer: Map<string, string>; at: number }>();
  /** The shape last remembered per channel, so an unchanged one is not written again on every turn. */
  const known = new Map<string, string>();

  async function remember(key: string, shape: ChannelShape): Promise<void> {
    const text = `${shape.membershipType}|${shape.hostTenant}`;
    if (known.get(key) === text) return;
    try {
      await shapes.put(key, shape);
      known.delete(key);
      if (known.size >= CACHE_MAX) known.delete(known.keys().next().value as string);
      known.set(key, text);
    } catch (error) {
      // Not remembered only costs a member-list read before the next proactive post.
      deps.logger.warn({ err: error }, 'Teams: channel shape not remembered');
    }
  }

  /** Every member's tenant, by member id; null when the list cannot be read in full. */
  async function members(
    key: string,
    conversationId: string,
    read: ReadMembers,
  ): Promise<Map<string, string> | null> {
    const hit = cache.get(key);
    if (hit !== undefined && now() - hit.at < CACHE_MS) return hit.answer;
    const tenants = new Map<string, string>();
    let token: string | undefined;
    try {
      for (let page = 0; page < MAX_PAGES; page += 1) {
        const result = await read(conversationId, token);
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
        { err: error, conversation: conversationId },
        'Teams: members could not be read; treated as unknown readers',
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
      const shape = channelShape(channelData);
      const { hostTenant } = shape;
      if (kind === 'channel') await remember(origin.conversation.id, shape);
      if (!spansTenants(kind, tenant, shape))
        return { facts: { kind: 'organisations', organisations: [tenant] }, senderTenant: null };
      const listed = await members(origin.conversation.id, origin.address.conversationId, readMembers);
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
    async factsFor(conversation, readMembers) {
      if (conversation.kind === 'personal') return { kind: 'private' };
      const address = decodeConversationId(conversation.id);
      if (address === null) return { kind: 'unknown', reason: 'not a Teams conversation id' };
      const tenant = address.tenantId;
      const shape = conversation.kind === 'channel' ? await shapes.get(conversation.id) : null;
      if (shape !== null && !spansTenants(conversation.kind, tenant, shape))
        return { kind: 'organisations', organisations: [tenant] };
      const listed = await members(conversation.id, address.conversationId, readMembers);
      if (listed === null) return { kind: 'unknown', reason: 'members not readable' };
      const host = shape === null || shape.hostTenant === '' ? [] : [shape.hostTenant];
      return { kind: 'organisations', organisations: [...new Set([tenant, ...host, ...listed.values()])] };
    },
    forget(conversationKey) {
      cache.delete(conversationKey);
    },
  };
}
