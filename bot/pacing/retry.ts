import { backoffMs } from './windows.js';

// The one retry policy for every outbound call (Slack Web API, Bot Connector, Graph). The caller says what
// a failure means; this decides whether to try again. A request that changes something and cannot be
// de-duplicated by the platform is never repeated after an unclear failure (a timeout, 502/504, a
// connection cut after sending): the first attempt may have landed, and a repeat shows the message twice.
// Platform-free, so adapters and the core can both use it.

/**
 * What one failed attempt means.
 * - `throttled`: refused for rate (429); nothing was applied. Retried after `retryAfterMs`.
 * - `notSent`: surely not applied (connection refused, 503 or 412 that refused the request). Retried.
 * - `unclear`: may have been applied (timeout, 502/504, connection reset). Retried only when idempotent.
 * - `final`: retrying would fail the same way (400, 403, 404, our own error). Never retried.
 */
export type FailureKind = 'throttled' | 'notSent' | 'unclear' | 'final';

export interface Failure {
  readonly kind: FailureKind;
  /** The platform's Retry-After, in milliseconds, if it sent one. */
  readonly retryAfterMs?: number | null;
}

/** Why `retry` stopped trying: handed to `giveUp` so the caller can say so in its own error. */
export type GiveUpReason =
  /** The failure is final. */
  | 'final'
  /** The failure is unclear and the request may not be repeated. */
  | 'maybeApplied'
  /** Every attempt was used. */
  | 'exhausted'
  /** The platform asked to wait longer than the caller is willing to hold the request. */
  | 'waitTooLong';

export interface GiveUp {
  readonly reason: GiveUpReason;
  readonly failure: Failure;
  /** Attempts made, the last included. */
  readonly attempts: number;
}

export interface RetryOptions {
  /** Repeating the request changes nothing beyond the first time (GET, PUT of a whole object, an edit). */
  readonly idempotent: boolean;
  /** The platform de-duplicates repeats of this request (an idempotency key): unclear failures may repeat. */
  readonly deduplicated?: boolean;
  /** Attempts in all, the first included (at least 1). */
  readonly maxAttempts: number;
  /** Sorts a failure; the caller knows its platform's statuses and error shapes. */
  readonly classify: (error: unknown) => Failure;
  /** Backoff base and cap for exponential full-jitter waits (defaults 250 ms and 8 s). */
  readonly baseMs?: number;
  readonly capMs?: number;
  /** A Retry-After longer than this is not waited out: the call gives up ('waitTooLong'). */
  readonly maxRetryAfterMs?: number;
  /** Waits between attempts; injected so tests run on a virtual clock. */
  readonly sleep: (ms: number) => Promise<void>;
  readonly random?: () => number;
  /**
   * Told before each wait (a pacer blocks the conversation, a log line, a metric). It may return a
   * different wait (a pacer that waits itself returns 0).
   */
  readonly onRetry?: (info: {
    attempt: number;
    failure: Failure;
    waitMs: number;
    error: unknown;
  }) => number | undefined;
  /** Turns the last error into the one thrown (default: the error itself). */
  readonly giveUp?: (error: unknown, info: GiveUp) => unknown;
}

/** Whether a failure of this kind may be tried again under the options' rule. */
export function mayRepeat(
  failure: Failure,
  options: Pick<RetryOptions, 'idempotent' | 'deduplicated'>,
): boolean {
  switch (failure.kind) {
    case 'throttled':
    case 'notSent':
      return true;
    case 'unclear':
      return options.idempotent || options.deduplicated === true;
    case 'final':
      return false;
  }
}

/**
 * How long to wait before attempt `attempt + 1`: never before Retry-After, with jitter on top so many
 * senders do not retry in step; without Retry-After, exponential backoff with full jitter.
 */
export function retryWaitMs(
  failure: Failure,
  attempt: number,
  options: Pick<RetryOptions, 'baseMs' | 'capMs' | 'random'>,
): number {
  const jitter = backoffMs(attempt, options.baseMs ?? 250, options.capMs ?? 8_000, options.random);
  return (failure.retryAfterMs ?? 0) + jitter;
}

/** Runs `call` (told the attempt number, from 0) until it succeeds or the policy says stop. */
export async function retry<T>(options: RetryOptions, call: (attempt: number) => Promise<T>): Promise<T> {
  if (!Number.isInteger(options.maxAttempts) || options.maxAttempts < 1)
    throw new RangeError(`maxAttempts must be a whole number of at least 1 (got ${options.maxAttempts})`);
  const stop = (error: unknown, info: GiveUp): never => {
    throw options.giveUp === undefined ? error : options.giveUp(error, info);
  };
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await call(attempt);
    } catch (error) {
      const failure = options.classify(error);
      const attempts = attempt + 1;
      if (!mayRepeat(failure, options))
        stop(error, { reason: failure.kind === 'unclear' ? 'maybeApplied' : 'final', failure, attempts });
      if (
        options.maxRetryAfterMs !== undefined &&
        failure.retryAfterMs != null &&
        failure.retryAfterMs > options.maxRetryAfterMs
      )
        stop(error, { reason: 'waitTooLong', failure, attempts });
      if (attempts >= options.maxAttempts) stop(error, { reason: 'exhausted', failure, attempts });
      const planned = retryWaitMs(failure, attempt, options);
      const wait = options.onRetry?.({ attempt, failure, waitMs: planned, error }) ?? planned;
      if (wait > 0) await options.sleep(wait);
    }
  }
}
