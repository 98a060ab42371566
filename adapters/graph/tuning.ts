import type { Window } from '../../bot/pacing/windows.js';

// The knobs of the Graph source, with defaults chosen for politeness toward each customer tenant.

/** Politeness and consistency knobs; tests shrink pages and timeouts, production keeps the defaults. */
export interface GraphTuning {
  /** Budget per tenant; Graph allows 150/min per app per tenant, we aim for 20 % of it. */
  readonly requestsPerMinute: number;
  readonly requestTimeoutMs: number;
  /** Tries per request, the first included. */
  readonly maxAttempts: number;
  readonly backoffBaseMs: number;
  readonly backoffCapMs: number;
  /** A Retry-After up to this long is waited out inside the call; a longer one skips the tenant until then. */
  readonly maxInlineRetryAfterMs: number;
  /** Used when a 429 comes without Retry-After. */
  readonly defaultRetryAfterMs: number;
  /** $top of an incident page (Graph's maximum for incidents is 50). */
  readonly pageSize: number;
  /** How far below the high-water mark each read starts: covers ±2 min clock skew between Graph's writers. */
  readonly overlapMs: number;
  /** Bound on the versions a cursor remembers inside the overlap window. */
  readonly maxSeen: number;
}

/** Production defaults: 30 requests/min per tenant, 5-minute overlap, 50 incidents a page. */
export const DEFAULT_TUNING: GraphTuning = Object.freeze({
  requestsPerMinute: 30,
  requestTimeoutMs: 30_000,
  maxAttempts: 4,
  backoffBaseMs: 500,
  backoffCapMs: 30_000,
  maxInlineRetryAfterMs: 10_000,
  defaultRetryAfterMs: 60_000,
  pageSize: 50,
  overlapMs: 5 * 60_000,
  maxSeen: 500,
});

/** The budget as sliding windows: the per-minute limit, spread so no 10 s holds more than a sixth of it. */
export function budgetWindows(requestsPerMinute: number): readonly Window[] {
  return [
    { limit: requestsPerMinute, perMs: 60_000 },
    { limit: Math.max(1, Math.ceil(requestsPerMinute / 6)), perMs: 10_000 },
  ];
}
