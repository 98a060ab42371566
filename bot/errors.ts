// Errors carry a code, are mapped once at the edge and handled in one hook, so no failure is half-handled.

export type ErrorCode =
  | 'config_invalid'
  | 'store_unavailable'
  | 'store_corrupt'
  | 'source_unavailable'
  | 'not_found'
  | 'forbidden'
  | 'bad_input'
  | 'conflict'
  | 'platform_error';

export class BotError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BotError';
    this.code = code;
  }
}

/** Start-up configuration problems: one line per problem, each saying what is wrong and what to set. */
export class ConfigError extends BotError {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super('config_invalid', problems.join('\n'));
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** The database file is unreadable or corrupt: start-up stops; the file is never silently recreated. */
export class StoreCorruptError extends BotError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('store_corrupt', message, options);
    this.name = 'StoreCorruptError';
  }
}

/**
 * Why a proactive post failed, as the alert dispatcher needs to know it: wait and retry (throttled, honouring
 * retryAfterMs; transient), stop for this binding (gone: channel deleted/archived; forbidden: app removed,
 * token revoked), or drop this one message (invalid: the platform rejected its content). messageGone: the
 * channel is fine but the message an update or thread reply aimed at no longer exists (deleted, or a console
 * restarted): post afresh instead; never a reason to pause the channel.
 */
/**
 * 'shared': the conversation now holds organisations other than the binding's customer and the provider,
 * so nothing of that customer may be posted there (the binding is paused at once).
 */
export type DeliveryFailure =
  | 'throttled'
  | 'transient'
  | 'gone'
  | 'forbidden'
  | 'invalid'
  | 'messageGone'
  | 'shared';

/** Thrown by ChatPort implementations; adapters map platform errors to it once, at the edge. */
export class ChatDeliveryError extends BotError {
  readonly failure: DeliveryFailure;
  readonly retryAfterMs: number | null;
  /**
   * The request may have reached the platform (a timeout, 502/504, a connection cut after sending): a post
   * that failed this way is not sent again, since the platforms cannot de-duplicate it.
   */
  readonly maybeSent: boolean;
  constructor(
    failure: DeliveryFailure,
    message: string,
    options?: { retryAfterMs?: number | null; cause?: unknown; maybeSent?: boolean },
  ) {
    super('platform_error', message, options);
    this.name = 'ChatDeliveryError';
    this.failure = failure;
    this.retryAfterMs = options?.retryAfterMs ?? null;
    this.maybeSent = options?.maybeSent === true;
  }
}
