import { webApi } from '@slack/bolt';
import type { ChatDeliveryError } from '../../bot/errors.js';
import {
  backoffMs,
  createPacer,
  type Pacer,
  retryAfterMs,
  SLACK_CHANNEL_WINDOWS,
} from '../../bot/pacing/windows.js';
import type { Clock, Logger } from '../../bot/ports.js';
import { toDeliveryError } from './slack-errors.js';
import { slackSdkLogger } from './slack-logger.js';

// Every outbound Slack request goes through here: Web API calls with the bot token (only ever to
// SLACK_API_URL: absolute method URLs are refused) and response_url posts (no token, only to Slack's hook
// hosts or the API's own origin). Posting is paced per channel; a 429 blocks that channel for Retry-After.

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
  /** Posts to an interaction's response_url (ephemeral replies, replace_original). */
  respond(url: string, body: Readonly<Record<string, unknown>>, options?: CallOptions): Promise<void>;
  /** Whether a response_url may be used (else callers fall back to the Web API). */
  responseUrlAllowed(url: string | null | undefined): url is string;
}

const HOOK_HOSTS = new Set(['hooks.slack.com', 'hooks.slack-gov.com']);
const IDEMPOTENT = new Set([
  'auth.test',
  'users.info',
  'users.lookupByEmail',
  'conversations.open',
  'views.publish',
  'views.update',
]);
const MAX_THROTTLE_WAIT_MS = 30_000;
const MAX_CLIENTS = 500;

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Creates the API layer; one per process, shared by the listeners and the ChatPort (one pacer). */
export function createSlackApi(options: SlackApiOptions): SlackApi {
  const apiOrigin = new URL(options.apiUrl).origin;
  const pacer = options.pacer ?? createPacer(SLACK_CHANNEL_WINDOWS, options.clock);
  const sleep = options.sleep ?? defaultSleep;
  const timeout = options.timeoutMs ?? 10_000;
  const sdkLogger = slackSdkLogger(options.logger, 'slack-web-api');
  const clients = new Map<string, webApi.WebClient>();

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

  async function withRetries<T>(method: string, opts: CallOptions, attempt: () => Promise<T>): Promise<T> {
    for (let tries = 0; ; tries += 1) {
      if (opts.paceKey !== undefined) await pacer.acquire(opts.paceKey, sleep);
      let failure: ChatDeliveryError;
      try {
        return await attempt();
      } catch (error) {
        failure = toDeliveryError(error, method);
      }
      if (failure.failure === 'transient' && IDEMPOTENT.has(method) && tries < 2) {
        // Reads and whole-view replacements can be repeated safely; a post is never sent twice here.
        await sleep(backoffMs(tries, 250, 2_000));
        continue;
      }
      if (failure.failure !== 'throttled') throw failure;
      const wait = failure.retryAfterMs ?? 1000;
      if (opts.paceKey !== undefined) pacer.block(opts.paceKey, options.clock.now().getTime() + wait);
      options.logger.warn({ method, retryAfterMs: wait, key: opts.paceKey }, 'Slack rate limit: waiting');
      if (!opts.retryThrottled || tries >= 2 || wait > MAX_THROTTLE_WAIT_MS) throw failure;
      if (opts.paceKey === undefined) await sleep(wait);
    }
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
        return Promise.reject(toDeliveryError(new Error('response_url not allowed'), 'response_url'));
      return withRetries('response_url', opts, async () => {
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
        if (!res.ok) throw new webApi.WebAPIHTTPError(res.status, res.statusText, {}, text);
        if (text.startsWith('{')) {
          const parsed = JSON.parse(text) as { ok?: boolean; error?: string };
          if (parsed.ok === false)
            throw new webApi.WebAPIPlatformError({ ok: false, error: parsed.error ?? 'unknown' });
        }
      });
    },

    responseUrlAllowed,
  };
}
