import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import { ChatDeliveryError } from '../../../bot/errors.js';
import type { Clock, Store } from '../../../bot/ports.js';

// OAuth installations live in our Store (every replica), through bolt's InstallationStore interface. A workspace
// install is keyed by its team id (T…); an Enterprise Grid org-wide install by the org id (E…), which then
// serves every workspace of the org. The same keys name installations in our conversation ids.

/** The key an installation is stored under. */
export function installationKey(i: {
  isEnterpriseInstall?: boolean;
  enterprise?: { id: string } | undefined;
  team?: { id: string } | undefined;
}): string {
  const key = i.isEnterpriseInstall === true ? i.enterprise?.id : i.team?.id;
  if (key === undefined || key === '')
    throw new Error('a Slack installation has neither a team nor an org id');
  return key;
}

/** The keys to look up for a query, most specific first (a workspace of an org falls back to the org). */
function queryKeys(q: InstallationQuery<boolean>): string[] {
  if (q.isEnterpriseInstall && q.enterpriseId !== undefined) return [q.enterpriseId];
  return [q.teamId, q.enterpriseId].filter((k): k is string => typeof k === 'string' && k !== '');
}

const hasBotToken = (v: unknown): v is Installation => {
  const bot = (v as { bot?: { token?: unknown } } | null)?.bot;
  return typeof bot?.token === 'string' && bot.token !== '';
};

/** Bolt's InstallationStore over our Store. */
export function storeInstallations(store: Store): InstallationStore {
  return {
    async storeInstallation(installation) {
      await store.saveInstallation('slack', installationKey(installation), installation);
    },
    async fetchInstallation(query) {
      for (const key of queryKeys(query)) {
        const found = await store.getInstallation('slack', key);
        if (hasBotToken(found)) return found;
      }
      throw new Error(`no Slack installation for ${queryKeys(query).join(' / ') || 'this request'}`);
    },
    async deleteInstallation(query) {
      for (const key of queryKeys(query)) await store.deleteInstallation('slack', key);
    },
  };
}

/** Finds the bot token that serves an installation key: the single token, or the stored installation. */
export type TokenSource = (installation: string) => Promise<string>;

/** One SLACK_BOT_TOKEN for every workspace. */
export function singleToken(token: string): TokenSource {
  return async () => token;
}

/** OAuth distribution: the token of the stored installation, or forbidden when there is none. */
export function storedTokens(store: Store): TokenSource {
  return async (installation) => {
    const found = await store.getInstallation('slack', installation);
    if (!hasBotToken(found) || found.bot === undefined) {
      throw new ChatDeliveryError('forbidden', `the Slack app is not installed for ${installation}`);
    }
    return found.bot.token;
  };
}

/** How long a fetched installation is served from memory; a missing one, briefly. */
const FOUND_TTL_MS = 60_000;
const MISSING_TTL_MS = 5_000;
const CACHED_MAX = 5_000;

/**
 * Bolt asks for the installation before a listener can acknowledge the request: served from memory, the
 * acknowledgement waits for no store read but the first of a workspace's minute. Storing or deleting an
 * installation here forgets what was kept; another replica's uninstall is seen within the minute (and its
 * token is refused by Slack meanwhile).
 */
export function cachedInstallations(inner: InstallationStore, clock: Clock): InstallationStore {
  const kept = new Map<string, { until: number; found: Installation | null; error?: unknown }>();
  const keyOf = (q: InstallationQuery<boolean>): string => queryKeys(q).join('/');
  return {
    async storeInstallation(installation, logger) {
      kept.clear();
      await inner.storeInstallation(installation, logger);
    },
    async fetchInstallation(query, logger) {
      const key = keyOf(query);
      const now = clock.now().getTime();
      const hit = kept.get(key);
      if (hit !== undefined && hit.until > now) {
        if (hit.found === null) throw hit.error;
        return hit.found;
      }
      if (kept.size >= CACHED_MAX) kept.delete(kept.keys().next().value as string);
      try {
        const found = await inner.fetchInstallation(query, logger);
        kept.set(key, { until: now + FOUND_TTL_MS, found });
        return found;
      } catch (error) {
        kept.set(key, { until: now + MISSING_TTL_MS, found: null, error });
        throw error;
      }
    },
    async deleteInstallation(query, logger) {
      kept.clear();
      await inner.deleteInstallation?.(query, logger);
    },
  };
}
