import type { Clock } from '../../../bot/ports.js';

// Slack's own limit on a response_url: it may be used up to 5 times within 30 minutes of the interaction.
// That, not the one-message-a-second per channel of chat.postMessage, is what bounds answers through it:
// fifty people running /experts in one channel within a second each get their answer at once. A use past
// the limit is refused here (the caller falls back to chat.postEphemeral) instead of being sent for Slack to
// refuse. Memory stays bounded: URLs older than the window are forgotten, and at most `maxUrls` are kept.

export const RESPONSE_URL_USES = 5;
export const RESPONSE_URL_WINDOW_MS = 30 * 60_000;

export interface ResponseUrlBudget {
  /** Takes one use of `url`; false when its uses are spent. */
  take(url: string): boolean;
  /** Uses left for `url` (for tests and logs). */
  left(url: string): number;
}

export function createResponseUrlBudget(
  clock: Clock,
  opts: { uses?: number; windowMs?: number; maxUrls?: number } = {},
): ResponseUrlBudget {
  const uses = opts.uses ?? RESPONSE_URL_USES;
  const windowMs = opts.windowMs ?? RESPONSE_URL_WINDOW_MS;
  const maxUrls = opts.maxUrls ?? 50_000;
  // Insertion order is first-use order: the oldest URLs are at the front.
  const seen = new Map<string, { since: number; used: number }>();

  const forgetOld = (now: number): void => {
    for (const [url, entry] of seen) {
      if (now - entry.since < windowMs && seen.size < maxUrls) return;
      seen.delete(url);
    }
  };

  return {
    take(url) {
      const now = clock.now().getTime();
      forgetOld(now);
      const entry = seen.get(url);
      if (entry === undefined) {
        seen.set(url, { since: now, used: 1 });
        return true;
      }
      if (entry.used >= uses) return false;
      entry.used += 1;
      return true;
    },
    left(url) {
      const entry = seen.get(url);
      if (entry === undefined || clock.now().getTime() - entry.since >= windowMs) return uses;
      return Math.max(0, uses - entry.used);
    },
  };
}
