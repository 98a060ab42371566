import type { AudienceFacts } from '../../bot/audience.js';
import type { Clock, Logger } from '../../bot/ports.js';
import type { SlackApi } from './transport/slack-api.js';

// Who can read a Slack conversation, for the core's audience rule. A DM with the app is the person alone.
// A channel that is not externally shared holds one organisation (the person's own: the core adds it). A
// Slack Connect channel (is_ext_shared) holds every organisation conversations.info names; when Slack
// cannot be asked, the answer is "unknown", which the core treats as shared with strangers.

/** Answers per channel are kept this long: a channel being shared or unshared is seen within a minute. */
const CACHE_MS = 60_000;
const CACHE_MAX = 5_000;

export interface SlackAudience {
  /**
   * The facts for one channel, read through the installation's token. `sharedHint`: the event said the
   * channel is externally shared (is_ext_shared_channel), so a cached "not shared" is not trusted.
   */
  factsFor(
    token: string,
    installation: string,
    channel: string,
    sharedHint?: boolean,
  ): Promise<AudienceFacts>;
}

type Json = Readonly<Record<string, unknown>>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const ids = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x !== '') : [];
const id = (v: unknown): string[] => (typeof v === 'string' && v !== '' ? [v] : []);

/** conversations.info's channel object as facts (exported for unit tests against Slack's documented shape). */
export function factsOfChannel(channel: Json): AudienceFacts {
  if (channel.is_im === true) return { kind: 'private' };
  if (channel.is_ext_shared !== true) return { kind: 'organisations', organisations: [] };
  const organisations = [
    ...ids(channel.shared_team_ids),
    ...ids(channel.connected_team_ids),
    ...ids(channel.internal_team_ids),
    ...id(channel.context_team_id),
    ...id(channel.conversation_host_id),
  ];
  // Shared, but Slack named nobody: who reads it cannot be told.
  if (organisations.length === 0) return { kind: 'unknown', reason: 'shared channel without team ids' };
  return { kind: 'organisations', organisations: [...new Set(organisations)] };
}

/** Creates the lookup over the Web API, with a bounded per-channel cache. */
export function createSlackAudience(deps: { api: SlackApi; clock: Clock; logger: Logger }): SlackAudience {
  const cache = new Map<string, { facts: AudienceFacts; at: number }>();

  async function lookUp(token: string, channel: string): Promise<AudienceFacts> {
    try {
      const result = await deps.api.call(token, 'conversations.info', { channel }, { retryThrottled: true });
      const info = result.channel;
      if (!isRecord(info)) return { kind: 'unknown', reason: 'conversations.info returned no channel' };
      return factsOfChannel(info);
    } catch (error) {
      deps.logger.warn({ err: error, channel }, 'Slack: conversations.info failed; answering privately');
      return { kind: 'unknown', reason: 'conversations.info failed' };
    }
  }

  return {
    async factsFor(token, installation, channel, sharedHint = false) {
      // DMs (D…) are the person and the app alone, Slack Connect DMs included.
      if (channel.startsWith('D')) return { kind: 'private' };
      const key = `${installation}:${channel}`;
      const now = deps.clock.now().getTime();
      const hit = cache.get(key);
      const stale = hit === undefined || now - hit.at >= CACHE_MS;
      const distrusted =
        sharedHint && hit?.facts.kind === 'organisations' && hit.facts.organisations.length === 0;
      if (!stale && !distrusted && hit !== undefined) return hit.facts;
      const facts = await lookUp(token, channel);
      // A failed lookup is not remembered: the next message asks again.
      if (facts.kind !== 'unknown') {
        cache.delete(key);
        if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value as string);
        cache.set(key, { facts, at: now });
      }
      if (sharedHint && facts.kind === 'organisations' && facts.organisations.length === 0)
        return { kind: 'unknown', reason: 'the event says the channel is shared; Slack did not' };
      return facts;
    },
  };
}
