import { BotError, ChatDeliveryError } from '../../bot/errors.js';
import {
  backoffMs,
  createPacer,
  retryAfterMs,
  TEAMS_CONVERSATION_WINDOWS,
  type Window,
} from '../../bot/pacing/windows.js';
import type { Clock } from '../../bot/ports.js';

// Every call the bot makes to the Bot Connector goes through here: paced so Teams' limits are never
// exceeded (per conversation: 7/1 s, 8/2 s, 60/30 s, 1800/h; per tenant, app-wide: 50/s), and retried on
// the statuses Teams documents as transient (429, 412, 502, 504) after Retry-After plus jittered
// exponential backoff, a bounded number of times. The SDK's own retry policy is removed from every
// connector client (connector-guard.ts), so these are the only retries and each one is counted.

/** Teams' app-wide limit per tenant (Bot Framework rate-limit documentation). */
export const TEAMS_TENANT_WINDOWS: readonly Window[] = [{ limit: 50, perMs: 1_000 }];

/** Statuses Teams asks bots to retry. Anything else is final. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 412, 502, 504]);

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

/** The one way the adapter calls Teams: replies and proactive messages share its windows. */
export interface Delivery {
  /** Runs `call` when the windows allow, retrying transient failures; `what` names it in errors. */
  send<T>(target: DeliveryTarget, what: string, call: () => Promise<T>): Promise<T>;
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

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Creates the pacing and retry layer shared by replies and proactive messages. */
export function createDelivery(options: DeliveryOptions): Delivery {
  const { clock } = options;
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  const maxAttempts = options.maxAttempts ?? 4;
  const baseMs = options.baseMs ?? 250;
  const capMs = options.capMs ?? 8_000;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
  const conversations = createPacer(
    options.conversationWindows ?? withMargin(TEAMS_CONVERSATION_WINDOWS),
    clock,
  );
  const tenants = createPacer(options.tenantWindows ?? withMargin(TEAMS_TENANT_WINDOWS), clock);

  return {
    async send(target, what, call) {
      for (let attempt = 0; ; attempt += 1) {
        await conversations.acquire(target.conversationKey, sleep);
        await tenants.acquire(target.tenantId, sleep);
        try {
          return await call();
        } catch (error) {
          if (error instanceof BotError) throw error;
          const status = statusOf(error);
          if (status === null || !RETRYABLE_STATUSES.has(status)) {
            const how = status === null ? 'could not reach Teams' : `Teams answered HTTP ${status}`;
            throw new BotError('platform_error', `${what}: ${how}`, { cause: error });
          }
          if (attempt + 1 >= maxAttempts) {
            throw new BotError(
              'platform_error',
              `${what}: Teams still answered HTTP ${status} after ${maxAttempts} attempts; giving up`,
              { cause: error },
            );
          }
          const after = retryAfterMs(retryAfterOf(error), clock.now());
          if (after !== null && after > maxRetryAfterMs) {
            throw new BotError(
              'platform_error',
              `${what}: Teams asked to wait ${Math.ceil(after / 1000)} s (HTTP ${status}); not holding the message that long`,
              { cause: error },
            );
          }
          // Never before Retry-After; jitter on top so many senders do not retry in step.
          const wait = (after ?? 0) + backoffMs(attempt, baseMs, capMs, random);
          // Other messages to this conversation wait too; other conversations carry on.
          conversations.block(target.conversationKey, clock.now().getTime() + wait);
        }
      }
    },
  };
}
