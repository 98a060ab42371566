import type { Clock } from '../ports.js';

// Sliding-window pacing per key (a conversation, a tenant): never more than `limit` sends in any `perMs`
// window, for every window at once. Pure bookkeeping with an injected clock; each chat adapter keeps its
// platform's windows and owns the one pacer for them, and the core only asks the adapter how long to wait.

export interface Window {
  readonly limit: number;
  readonly perMs: number;
}

export interface Pacer {
  /** Milliseconds until `key` may send again (0: now). Does not record anything. */
  delayFor(key: string): number;
  /** Records a send for `key` at the current time. */
  record(key: string): void;
  /** Pushes `key` back until `untilMs` (epoch ms), e.g. after a 429 with Retry-After. */
  block(key: string, untilMs: number): void;
  /** Waits until `key` may send, then records the send. */
  acquire(key: string, sleep?: (ms: number) => Promise<void>): Promise<void>;
  /** Keys remembered now (sends inside the longest window, or a block not yet over). */
  size(): number;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Keys a pacer remembers at most unless told otherwise (conversations, channels, tenants). */
export const PACER_MAX_KEYS = 10_000;

export interface PacerOptions {
  /**
   * Past this many keys the one sent to least recently is forgotten first (its windows start afresh; a
   * platform's 429 with Retry-After still holds it back), so memory stays bounded however many
   * conversations a busy process sees within the longest window.
   */
  readonly maxKeys?: number;
}

/**
 * Creates a pacer over the given windows. Memory is bounded by the largest window's limit per key and by
 * `maxKeys` keys. Keys are kept in the order of their last send, so a key idle for longer than the longest
 * window (and not blocked) is forgotten on the next call, from the front, without scanning the others.
 */
export function createPacer(windows: readonly Window[], clock: Clock, options: PacerOptions = {}): Pacer {
  if (windows.length === 0) throw new Error('a pacer needs at least one window');
  const longest = windows.reduce((a, w) => Math.max(a, w.perMs), 0);
  const keep = windows.reduce((a, w) => Math.max(a, w.limit), 0);
  const maxKeys = options.maxKeys ?? PACER_MAX_KEYS;
  /** Send times per key; the map's order is the order of each key's last send, oldest first. */
  const sent = new Map<string, number[]>();
  const blocked = new Map<string, number>();
  let sweptAt = clock.now().getTime();

  /** Drops idle keys from the front of `sent` (and over-the-bound ones), and, rarely, finished blocks. */
  const sweep = (now: number): void => {
    for (const [key, list] of sent) {
      if ((list.at(-1) ?? 0) > now - longest && sent.size <= maxKeys) break;
      sent.delete(key);
    }
    if (now - sweptAt < longest) return;
    sweptAt = now;
    for (const [key, until] of blocked) if (until <= now) blocked.delete(key);
  };

  const history = (key: string, now: number): number[] => {
    const list = sent.get(key) ?? [];
    while (list.length > 0 && ((list[0] ?? 0) <= now - longest || list.length > keep)) list.shift();
    if (list.length === 0) sent.delete(key);
    return list;
  };

  const delayFor = (key: string): number => {
    const now = clock.now().getTime();
    sweep(now);
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
    sweep(now);
    const list = history(key, now);
    list.push(now);
    // Re-inserted, so the map stays ordered by last send and the sweep can stop at the first busy key.
    sent.delete(key);
    sent.set(key, list);
    sweep(now);
  };

  return {
    delayFor,
    record,
    block(key, untilMs) {
      sweep(clock.now().getTime());
      blocked.set(key, Math.max(blocked.get(key) ?? 0, untilMs));
    },
    async acquire(key, sleep = defaultSleep) {
      for (let wait = delayFor(key); wait > 0; wait = delayFor(key)) await sleep(wait);
      record(key);
    },
    size() {
      sweep(clock.now().getTime());
      return new Set([...sent.keys(), ...blocked.keys()]).size;
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
