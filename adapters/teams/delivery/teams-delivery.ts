import { BotError, ChatDeliveryError } from '../../../bot/errors.js';
import { type Failure, type GiveUp, retry } from '../../../bot/pacing/retry.js';
import { createPacer, retryAfterMs, type Window } from '../../../bot/pacing/windows.js';
import type { Clock } from '../../../bot/ports.js';

// Every call the bot makes to the Bot Connector goes through here: paced so Teams' limits are never
// exceeded (per conversation: 7/1 s, 8/2 s, 60/30 s, 1800/h; per tenant, app-wide: 50/s), and retried
// with the shared policy (bot/pacing/retry.ts): a 429 after Retry-After plus jitter, a request Teams surely
// refused (412, 503 with Retry-After, connection refused) again, and an unclear failure (502, 504, a
// timeout, a cut connection) only when the call is idempotent (an update) — a post repeated after a 502
// shows the same alert twice. The SDK's own retry policy is removed from every connector client
// (connector-guard.ts), so these are the only retries and each one is counted. This pacer is the only one
// for Teams: the alert pipeline asks it (`delayFor`) rather than keeping windows of its own.

/** Teams per-conversation limits (Bot Framework rate-limit documentation). */
export const TEAMS_CONVERSATION_WINDOWS: readonly Window[] = [
  { limit: 7, perMs: 1_000 },
  { limit: 8, perMs: 2_000 },
  { limit: 60, perMs: 30_000 },
  { limit: 1_800, perMs: 3_600_000 },
];

/** Teams' app-wide limit per tenant (Bot Framework rate-limit documentation). */
export const TEAMS_TENANT_WINDOWS: readonly Window[] = [{ limit: 50, perMs: 1_000 }];

/**
 * Teams measures windows on its side, after network latency: each window is stretched a little (10%, at
 * most 250 ms) so requests sent just inside a window never arrive just inside it too.
 */
export const withMargin = (windows: readonly Window[]): Window[] =>
  windows.map((w) => ({ limit: w.limit, perMs: w.perMs + Math.min(250, Math.ceil(w.perMs / 10)) }));

/** Where a call goes, for pacing: the conversation (core id) and its tenant. */
export interface DeliveryTarget {
  readonly conversationKey: string;
  readonly tenantId: string;
}

/** How a call may be repeated. */
export interface SendOptions {
  /** Repeating it changes nothing (an update of an existing message); default false (a post). */
  readonly idempotent?: boolean;
}

/** The one way the adapter calls Teams: replies and proactive messages share its windows. */
export interface Delivery {
  /** Runs `call` when the windows allow, retrying what the policy allows; `what` names it in errors. */
  send<T>(target: DeliveryTarget, what: string, call: () => Promise<T>, options?: SendOptions): Promise<T>;
  /** Milliseconds until the target may be sent to (0: now); records nothing. */
  delayFor(target: DeliveryTarget): number;
}

/** Everything injectable, so tests can run the schedule on a controlled clock. */
export interface DeliveryOptions {
  readonly clock: Clock;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  /** Attempts in all, the first included (default 4). */
  readonly maxAttempts?: number;
  readonly baseMs?: number;
  readonly capMs?: number;
  /** A Retry-After longer than this fails at once instead of holding the caller (default 60 s). */
  readonly maxRetryAfterMs?: number;
  readonly conversationWindows?: readonly Window[];
  readonly tenantWindows?: readonly Window[];
}

/** The HTTP status of a failed connector call (azure RestError and friends), or null (network error…). */
export function statusOf(error: unknown): number | null {
  if (typeof error !== 'object' || error === null) return null;
  const e = error as { statusCode?: unknown; status?: unknown; response?: { status?: unknown } };
  for (const v of [e.statusCode, e.response?.status, e.status]) if (typeof v === 'number') return v;
  return null;
}

/** The Retry-After header of a failed connector call, if the response had one. */
export function retryAfterOf(error: unknown): string | null {
  if (typeof error !== 'object' || error === null) return null;
  const headers = (error as { response?: { headers?: unknown } }).response?.headers;
  if (typeof headers !== 'object' || headers === null) return null;
  const h = headers as { get?: (name: string) => unknown; [key: string]: unknown };
  const value = typeof h.get === 'function' ? h.get('retry-after') : (h['retry-after'] ?? h['Retry-After']);
  return typeof value === 'string' ? value : null;
}

/**
 * An update of, or reply to, a message that answered HTTP 404: that message (the thread root) was deleted,
 * while the conversation is still there. Mapped to the core's 'messageGone'; anything else is left as is.
 */
export function activityGoneError(error: unknown, messageId: string): unknown {
  const cause = error instanceof BotError ? error.cause : error;
  if (statusOf(cause) !== 404) return error;
  return new ChatDeliveryError('messageGone', `Teams message ${messageId} no longer exists (HTTP 404)`, {
    cause: error,
  });
}

/** Network errors that mean the request never left this machine or never reached Teams. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

const codeOf = (error: unknown): string | null => {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 3; e = e.cause, depth += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return null;
};

/** What a failed connector call means for the retry policy. */
export function classifyTeamsFailure(error: unknown, now: Date): Failure {
  if (error instanceof BotError) return { kind: 'final' };
  const status = statusOf(error);
  const after = retryAfterMs(retryAfterOf(error), now);
  if (status === null) return { kind: NOT_SENT_CODES.has(codeOf(error) ?? '') ? 'notSent' : 'unclear' };
  if (status === 429) return { kind: 'throttled', retryAfterMs: after };
  // 412: Teams refused the request as it stood; 503 with Retry-After: the service turned it away.
  if (status === 412 || (status === 503 && after !== null)) return { kind: 'notSent', retryAfterMs: after };
  if (status === 500 || status === 502 || status === 503 || status === 504)
    return { kind: 'unclear', retryAfterMs: after };
  return { kind: 'final' };
}

/** The failure as the core understands it, with the words the operator reads. */
function deliveryError(what: string, error: unknown, info: GiveUp): unknown {
  if (error instanceof BotError) return error;
  const status = statusOf(error);
  const how = status === null ? 'could not reach Teams' : `Teams answered HTTP ${status}`;
  const options = { cause: error, retryAfterMs: info.failure.retryAfterMs ?? null };
  switch (info.reason) {
    case 'waitTooLong':
      return new ChatDeliveryError(
        'throttled',
        `${what}: Teams asked to wait ${Math.ceil((info.failure.retryAfterMs ?? 0) / 1000)} s (HTTP ${status}); not holding the message that long`,
        options,
      );
    case 'exhausted':
      return new ChatDeliveryError(
        info.failure.kind === 'throttled' ? 'throttled' : 'transient',
        `${what}: Teams still answered ${status === null ? 'with a network error' : `HTTP ${status}`} after ${info.attempts} attempts; giving up`,
        { ...options, maybeSent: info.failure.kind === 'unclear' },
      );
    case 'maybeApplied':
      return new ChatDeliveryError(
        'transient',
        `${what}: ${how}; it may have been delivered, so it is not sent again`,
        { ...options, maybeSent: true },
      );
    case 'final':
      return new ChatDeliveryError(
        status === 401 || status === 403 ? 'forbidden' : status === 404 ? 'gone' : 'invalid',
        `${what}: ${how}`,
        options,
      );
  }
}

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Creates the pacing and retry layer shared by replies and proactive messages. */
export function createDelivery(options: DeliveryOptions): Delivery {
  const { clock } = options;
  const sleep = options.sleep ?? realSleep;
  const conversations = createPacer(
    options.conversationWindows ?? withMargin(TEAMS_CONVERSATION_WINDOWS),
    clock,
  );
  const tenants = createPacer(options.tenantWindows ?? withMargin(TEAMS_TENANT_WINDOWS), clock);

  return {
    delayFor(target) {
      return Math.max(conversations.delayFor(target.conversationKey), tenants.delayFor(target.tenantId));
    },
    send(target, what, call, sendOptions = {}) {
      return retry(
        {
          idempotent: sendOptions.idempotent === true,
          maxAttempts: options.maxAttempts ?? 4,
          baseMs: options.baseMs ?? 250,
          capMs: options.capMs ?? 8_000,
          maxRetryAfterMs: options.maxRetryAfterMs ?? 60_000,
          sleep,
          ...(options.random ? { random: options.random } : {}),
          classify: (error) => classifyTeamsFailure(error, clock.now()),
          onRetry: ({ waitMs }) => {
            // Other messages to this conversation wait too; the pacer does the waiting before the next try.
            conversations.block(target.conversationKey, clock.now().getTime() + waitMs);
            return 0;
          },
          giveUp: (error, info) => {
            // Whatever the outcome, a Retry-After holds every later message to this conversation too.
            const after = info.failure.retryAfterMs;
            if (after != null && after > 0)
              conversations.block(target.conversationKey, clock.now().getTime() + after);
            return deliveryError(what, error, info);
          },
        },
        async () => {
          await conversations.acquire(target.conversationKey, sleep);
          await tenants.acquire(target.tenantId, sleep);
          return call();
        },
      );
    },
  };
}
