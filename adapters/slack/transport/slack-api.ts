import { webApi } from '@slack/bolt';
import { ChatDeliveryError } from '../../../bot/errors.js';
import { type Failure, retry } from '../../../bot/pacing/retry.js';
import { createPacer, type Pacer, retryAfterMs, type Window } from '../../../bot/pacing/windows.js';
import type { Clock, Logger } from '../../../bot/ports.js';
import { createResponseUrlBudget } from './response-url-budget.js';
import { toDeliveryError } from './slack-errors.js';
import { slackSdkLogger } from './slack-logger.js';

// Every outbound Slack request goes through here: Web API calls with the bot token (only ever to
// SLACK_API_URL: absolute method URLs are refused) and response_url posts (no token, only to Slack's hook
// hosts or the API's own origin). Posting is paced per channel by the one Slack pacer (the alert pipeline
// asks it through the ChatPort's `delayFor`); a 429 blocks that channel for Retry-After. Retries follow the
// shared policy (bot/pacing/retry.ts): reads and whole-object replacements are repeated after a transient
// failure, a post only when Slack surely did not take it, since chat.postMessage has no de-duplication key.
// response_url answers are not channel posts: Slack limits them per URL (5 uses within 30 minutes), not per
// second, so they are not paced; that limit is kept here (response-url-budget.ts).

/** Slack: about one message per second per channel. */
export const SLACK_CHANNEL_WINDOWS: readonly Window[] = [{ limit: 1, perMs: 1_000 }];

/** Added to Slack's window: a send is recorded here but reaches Slack a little later. */
export const SLACK_PACING_MARGIN_MS = 50;

/** The only way the adapter talks to Slack. */
export interface SlackApiOptions {
  /** SLACK_API_URL, ending in "/". */
  readonly apiUrl: string;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly pacer?: Pacer;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Per-request timeout (default 10 s). */
  readonly timeoutMs?: number;
}

/** Per-call pacing and throttling behaviour. */
export interface CallOptions {
  /** Pace and block this key (a channel): about one message per second, Retry-After after a 429. */
  readonly paceKey?: string;
  /** Wait out a 429 (up to twice, up to 30 s each) instead of failing at once. */
  readonly retryThrottled?: boolean;
}

/** A Web API answer (ok: true), read defensively by callers. */
export type ApiResult = Readonly<Record<string, unknown>>;

/**
 * The pacing key of a call in a channel. Slack's one-message-a-second is about posting; edits of existing
 * messages (chat.update, a higher tier) are paced on their own key so updates never wait behind posts.
 */
export const paceKeyFor = (installation: string, channel: string, method: string): string =>
  method === 'chat.update' ? `${installation}:${channel}:update` : `${installation}:${channel}`;

/** The only way the adapter talks to Slack. */
export interface SlackApi {
  /** Calls a Web API method with a token; fails with ChatDeliveryError. */
  call(
    token: string,
    method: string,
    args: Readonly<Record<string, unknown>>,
    options?: CallOptions,
  ): Promise<ApiResult>;
  /**
   * Posts to an interaction's response_url (ephemeral replies, replace_original); never paced per channel,
   * limited per URL as Slack limits it (fails with `invalid` once its uses are spent).
   */
  respond(
    url: string,
    body: Readonly<Record<string, unknown>>,
    options?: Omit<CallOptions, 'paceKey'>,
  ): Promise<void>;
  /** Milliseconds until a call paced on `paceKey` may go (0: now); records nothing. */
  delayFor(paceKey: string): number;
  /** Whether a response_url may be used (else callers fall back to the Web API). */
  responseUrlAllowed(url: string | null | undefined): url is string;
}

const HOOK_HOSTS = new Set(['hooks.slack.com', 'hooks.slack-gov.com']);
/** Methods that change nothing when repeated: reads, and replacements of a whole message or view. */
const IDEMPOTENT = new Set([
  'auth.test',
  'users.info',
  'users.lookupByEmail',
  'conversations.open',
  'views.publish',
  'views.update',
  'chat.update',
]);
const READ_SUFFIXES = ['.info', '.list', '.members', '.history', '.replies', '.test'];
export const isIdempotentMethod = (method: string): boolean =>
  IDEMPOTENT.has(method) || READ_SUFFIXES.some((suffix) => method.endsWith(suffix));

/** What a mapped failure means for the retry policy. */
function classify(error: unknown, retryThrottled: boolean): Failure {
  if (!(error instanceof ChatDeliveryError)) return { kind: 'final' };
  switch (error.failure) {
    case 'throttled':
      // Not waited out unless the caller asked: the alert pipeline reschedules instead of sleeping.
      return retryThrottled ? { kind: 'throttled', retryAfterMs: error.retryAfterMs } : { kind: 'final' };
    case 'transient':
      return { kind: error.maybeSent ? 'unclear' : 'notSent', retryAfterMs: error.retryAfterMs };
    default:
      return { kind: 'final' };
  }
}
const MAX_THROTTLE_WAIT_MS = 30_000;
const MAX_CLIENTS = 500;

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Creates the API layer; one per process, shared by the listeners and the ChatPort (one pacer). */
export function createSlackApi(options: SlackApiOptions): SlackApi {
  const apiOrigin = new URL(options.apiUrl).origin;
  const pacer =
    options.pacer ??
    createPacer(
      SLACK_CHANNEL_WINDOWS.map((w) => ({ ...w, perMs: w.perMs + SLACK_PACING_MARGIN_MS })),
      options.clock,
    );
  const sleep = options.sleep ?? defaultSleep;
  const timeout = options.timeoutMs ?? 10_000;
  const sdkLogger = slackSdkLogger(options.logger, 'slack-web-api');
  const clients = new Map<string, webApi.WebClient>();
  const responseUrlUses = createResponseUrlBudget(options.clock);

  const responseUrlAllowed = (url: string | null | undefined): url is string => {
    if (typeof url !== 'string') return false;
    try {
      const u = new URL(url);
      if (u.username !== '' || u.password !== '') return false;
      return (u.protocol === 'https:' && HOOK_HOSTS.has(u.hostname)) || u.origin === apiOrigin;
    } catch {
      return false;
    }
  };

  const clientFor = (token: string): webApi.WebClient => {
    let client = clients.get(token);
    if (client === undefined) {
      client = new webApi.WebClient(token, {
        slackApiUrl: options.apiUrl,
        allowAbsoluteUrls: false,
        rejectRateLimitedCalls: true,
        retryConfig: { retries: 0 },
        timeout,
        logger: sdkLogger,
      });
      if (clients.size >= MAX_CLIENTS) clients.delete(clients.keys().next().value as string);
      clients.set(token, client);
    }
    return client;
  };

  function withRetries<T>(method: string, opts: CallOptions, attempt: () => Promise<T>): Promise<T> {
    const { paceKey } = opts;
    return retry(
      {
        idempotent: isIdempotentMethod(method),
        maxAttempts: 3,
        baseMs: 250,
        capMs: 2_000,
        maxRetryAfterMs: MAX_THROTTLE_WAIT_MS,
        sleep,
        classify: (error) => classify(error, opts.retryThrottled === true),
        // With a pace key the pacer holds the next attempt (and every other call on that key).
        onRetry: ({ waitMs }) => {
          if (paceKey === undefined) return waitMs;
          pacer.block(paceKey, options.clock.now().getTime() + waitMs);
          return 0;
        },
      },
      async () => {
        if (paceKey !== undefined) await pacer.acquire(paceKey, sleep);
        try {
          return await attempt();
        } catch (error) {
          const failure = toDeliveryError(error, method);
          if (failure.failure === 'throttled') {
            const wait = failure.retryAfterMs ?? 1000;
            if (paceKey !== undefined) pacer.block(paceKey, options.clock.now().getTime() + wait);
            options.logger.warn({ method, retryAfterMs: wait, key: paceKey }, 'Slack rate limit');
          }
          throw failure;
        }
      },
    );
  }

  return {
    call(token, method, args, opts = {}) {
      return withRetries(
        method,
        opts,
        async () => (await clientFor(token).apiCall(method, { ...args })) as unknown as ApiResult,
      );
    },

    respond(url, body, opts = {}) {
      if (!responseUrlAllowed(url))
        return Promise.reject(toDeliveryError(new Error('response_url not allowed'), 'response_url', true));
      const unpaced = {
        ...(opts.retryThrottled === undefined ? {} : { retryThrottled: opts.retryThrottled }),
      };
      return withRetries('response_url', unpaced, async () => {
        // Every attempt counts: Slack may have taken one that failed on the way back.
        if (!responseUrlUses.take(url))
          throw new ChatDeliveryError(
            'invalid',
            'Slack response_url: its 5 uses within 30 minutes are spent',
          );
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json; charset=utf-8' },
          body: JSON.stringify(body),
          redirect: 'error',
          signal: AbortSignal.timeout(timeout),
        });
        const text = await res.text();
        if (res.status === 429) {
          const ms = retryAfterMs(res.headers.get('retry-after'), options.clock.now()) ?? 1000;
          throw new webApi.WebAPIRateLimitedError(Math.ceil(ms / 1000));
        }
        if (!res.ok) {
          const retryAfter = res.headers.get('retry-after');
          const headers: Record<string, string> = retryAfter === null ? {} : { 'retry-after': retryAfter };
          throw new webApi.WebAPIHTTPError(res.status, res.statusText, headers, text);
        }
        if (text.startsWith('{')) {
          const parsed = JSON.parse(text) as { ok?: boolean; error?: string };
          if (parsed.ok === false)
            throw new webApi.WebAPIPlatformError({ ok: false, error: parsed.error ?? 'unknown' });
        }
      });
    },

    responseUrlAllowed,
    delayFor: (paceKey) => pacer.delayFor(paceKey),
  };
}
