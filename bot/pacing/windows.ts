import type { Clock } from '../ports.js';

// Sliding-window pacing per key (a conversation, a tenant): never more than `limit` sends in any `perMs`
// window, for every window at once (Teams: 7/1 s, 8/2 s, 60/30 s, 1800/h per conversation). Pure
// bookkeeping with an injected clock, so adapters, the alert dispatcher and benchmarks share one rule.

export interface Window {
  readonly limit: number;
  readonly perMs: number;
}

/** Teams per-conversation limits (Bot Framework documentation). */
export const TEAMS_CONVERSATION_WINDOWS: readonly Window[] = [
  { limit: 7, perMs: 1_000 },
  { limit: 8, perMs: 2_000 },
  { limit: 60, perMs: 30_000 },
  { limit: 1_800, perMs: 3_600_000 },
];

/** Slack: about one message per second per channel, with a small burst allowance. */
export const SLACK_CHANNEL_WINDOWS: readonly Window[] = [{ limit: 1, perMs: 1_000 }];

export interface Pacer {
  /** Milliseconds until `key` may send again (0: now). Does not record anything. */
  delayFor(key: string): number;
  /** Records a send for `key` at the current time. */
  record(key: string): void;
  /** Pushes `key` back until `untilMs` (epoch ms), e.g. after a 429 with Retry-After. */
  block(key: string, untilMs: number): void;
  /** Waits until `key` may send, then records the send. */
  acquire(key: string, sleep?: (ms: number) => Promise<void>): Promise<void>;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Creates a pacer over the given windows; memory is bounded by the largest window's limit per key. */
export function createPacer(windows: readonly Window[], clock: Clock): Pacer {
  if (windows.length === 0) throw new Error('a pacer needs at least one window');
  const longest = windows.reduce((a, w) => Math.max(a, w.perMs), 0);
  const keep = windows.reduce((a, w) => Math.max(a, w.limit), 0);
  const sent = new Map<string, number[]>();
  const blocked = new Map<string, number>();

  const history = (key: string, now: number): number[] => {
    const list = sent.get(key) ?? [];
    while (list.length > 0 && ((list[0] ?? 0) <= now - longest || list.length > keep)) list.shift();
    if (list.length === 0) sent.delete(key);
    return list;
  };

  const delayFor = (key: string): number => {
    const now = clock.now().getTime();
    let wait = Math.max(0, (blocked.get(key) ?? 0) - now);
    const list = history(key, now);
    for (const w of windows) {
      const inWindow = list.filter((t) => t > now - w.perMs);
      if (inWindow.length >= w.limit) {
        const oldest = inWindow[inWindow.length - w.limit] ?? now;
        wait = Math.max(wait, oldest + w.perMs - now);
      }
    }
    return wait;
  };

  const record = (key: string): void => {
    const now = clock.now().getTime();
    const list = history(key, now);
    list.push(now);
    sent.set(key, list);
  };

  return {
    delayFor,
    record,
    block(key, untilMs) {
      blocked.set(key, Math.max(blocked.get(key) ?? 0, untilMs));
    },
    async acquire(key, sleep = defaultSleep) {
      for (let wait = delayFor(key); wait > 0; wait = delayFor(key)) await sleep(wait);
      record(key);
    },
  };
}

/** Exponential backoff with full jitter, capped; `random` is injectable for tests. */
export function backoffMs(
  attempt: number,
  baseMs: number,
  capMs: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt));
  return Math.floor(random() * ceiling);
}

/** Parses a Retry-After header (seconds or HTTP date) into milliseconds from `now`; null if absent/invalid. */
export function retryAfterMs(header: string | null | undefined, now: Date): number | null {
  if (header == null || header.trim() === '') return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - now.getTime());
}
