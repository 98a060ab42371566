import { randomUUID } from 'node:crypto';
import type { Agent } from 'node:https';
import type { TokenCredential } from '@azure/identity';
import type { Customer } from '../../bot/domain/customer.js';
import { type Failure, retry } from '../../bot/pacing/retry.js';
import { createPacer, retryAfterMs } from '../../bot/pacing/windows.js';
import type { Clock, Logger } from '../../bot/ports.js';
import { classifyTokenError } from './credentials.js';
import { describeGraphError, GraphError } from './errors.js';
import { HttpFailure, type HttpResponse, sendHttps } from './http.js';
import type { GraphMetrics } from './metrics.js';
import type { TenantHealth } from './tenant-health.js';
import { budgetWindows, type GraphTuning } from './tuning.js';

// Every Graph call for a customer tenant goes through `send`: a token from that tenant's credential, the
// tenant's request budget (sliding windows, ≤ 20 % of Graph's 150/min by default), Retry-After honoured
// (a short one inline, a long one by skipping the tenant until then), and 401/403 reported once as lost
// access. Repeats follow the shared policy (bot/pacing/retry.ts): a request Graph surely did not apply (no
// token yet, connection refused, 429, 503 with Retry-After) is tried again; after an unclear failure (a
// timeout, 502/504) only a request that is safe to repeat (GET, PATCH) is, never a comment POST.

/** One failed attempt: what it means for the policy, and the error to throw if it is not repeated. */
class AttemptFailure extends Error {
  readonly failure: Failure;
  readonly final: () => GraphError;
  /** Try again at once (a renewed credential), without backoff. */
  readonly immediate: boolean;
  constructor(failure: Failure, final: () => GraphError, immediate = false) {
    super(failure.kind);
    this.failure = failure;
    this.final = final;
    this.immediate = immediate;
  }
}

/** One Graph call as the source and the writer describe it; the client adds token, headers and retries. */
export interface GraphRequest {
  readonly method: 'GET' | 'POST' | 'PATCH';
  /** A path under the Graph base ("/v1.0/security/incidents?…") or an absolute @odata.nextLink. */
  readonly url: string;
  readonly body?: unknown;
  /** Safe to repeat after a lost answer (GET, PATCH); a POST is repeated only when it surely was not applied. */
  readonly idempotent: boolean;
}

/** A Graph answer the caller must interpret (2xx or 404), body already parsed. */
export interface GraphResponse {
  readonly status: number;
  readonly body: unknown;
}

/** The single way out to Graph, so budget, throttling and access state cannot be bypassed. */
export interface GraphClient {
  /** Answers 2xx and 404 (the caller decides what "not found" means); throws GraphError otherwise. */
  send(customer: Customer, request: GraphRequest): Promise<GraphResponse>;
  /** Resolves when the Graph base answers at all (no token, no tenant budget spent). */
  probe(): Promise<void>;
  /** Aborts sleeps and requests in flight; later calls fail fast. */
  close(): void;
}

/** Everything the client needs injected, so tests drive it with virtual time and a stand-in's CA. */
export interface GraphClientDeps {
  readonly baseUrl: URL;
  readonly scope: string;
  readonly createCredential: (tenantId: string) => TokenCredential;
  readonly agent: Agent;
  readonly health: TenantHealth;
  readonly metrics: GraphMetrics;
  readonly clock: Clock;
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly random: () => number;
  readonly tuning: GraphTuning;
  readonly logger: Logger;
}

/** The tenant a customer's Graph calls go to; a customer without one is a configuration error. */
export function tenantOf(customer: Customer): string {
  const tenantId = customer.entraTenantId?.trim() ?? '';
  if (tenantId === '') {
    throw new GraphError('rejected', '', `customer "${customer.id}" has no entraTenantId`);
  }
  return tenantId;
}

/** Creates the client; one per Graph source, shared by reads and writes so they share each tenant's budget. */
export function createGraphClient(deps: GraphClientDeps): GraphClient {
  const { tuning } = deps;
  const pacer = createPacer(budgetWindows(tuning.requestsPerMinute), deps.clock);
  const credentials = new Map<string, TokenCredential>();
  const abort = new AbortController();
  const base = deps.baseUrl.href.replace(/\/+$/, '');

  const closing = (tenantId: string): GraphError =>
    new GraphError('unavailable', tenantId, 'the Microsoft Graph source is closing');

  async function pause(tenantId: string, ms: number): Promise<void> {
    if (abort.signal.aborted) throw closing(tenantId);
    try {
      await deps.sleep(ms, abort.signal);
    } catch (error) {
      if (abort.signal.aborted) throw closing(tenantId);
      throw error;
    }
    if (abort.signal.aborted) throw closing(tenantId);
  }

  const throttledError = (tenantId: string, until: number): GraphError =>
    new GraphError(
      'throttled',
      tenantId,
      `throttled by Microsoft Graph until ${new Date(until).toISOString()}`,
      {
        status: 429,
        retryAt: new Date(until),
      },
    );

  /** Waits for the tenant's budget; a tenant skipped for Retry-After fails at once instead of waiting. */
  async function pace(tenantId: string): Promise<void> {
    for (;;) {
      const until = deps.health.throttledUntil(tenantId);
      if (until !== null) throw throttledError(tenantId, until);
      const wait = pacer.delayFor(tenantId);
      if (wait <= 0) {
        pacer.record(tenantId);
        return;
      }
      await pause(tenantId, wait);
    }
  }

  function resolve(url: string, tenantId: string): URL {
    const target = new URL(url.startsWith('/') ? `${base}${url}` : url);
    // A nextLink is followed only under our own Graph base: the bearer token never goes anywhere else.
    if (!target.href.startsWith(`${base}/`)) {
      throw new GraphError(
        'rejected',
        tenantId,
        `refusing to send a Graph token outside GRAPH_BASE_URL: ${target.origin}`,
      );
    }
    return target;
  }

  async function token(customer: Customer, tenantId: string): Promise<string> {
    let credential = credentials.get(tenantId);
    if (credential === undefined) {
      credential = deps.createCredential(tenantId);
      credentials.set(tenantId, credential);
    }
    try {
      const got = await credential.getToken(deps.scope, { abortSignal: abort.signal });
      if (got === null) throw new Error('the credential returned no token');
      return got.token;
    } catch (error) {
      const sorted = classifyTokenError(error);
      if (sorted.kind === 'access_lost') {
        deps.health.refused(customer, tenantId, sorted.reason);
        throw new GraphError('access_lost', tenantId, `token refused: ${sorted.reason}`, { cause: error });
      }
      throw new GraphError('unavailable', tenantId, `no token: ${sorted.reason}`, { cause: error });
    }
  }

  const parse = (tenantId: string, res: HttpResponse): unknown => {
    if (res.text.trim() === '') return null;
    try {
      return JSON.parse(res.text);
    } catch (error) {
      throw new GraphError('unavailable', tenantId, `HTTP ${res.status}: the answer is not JSON`, {
        cause: error,
      });
    }
  };

  async function send(customer: Customer, request: GraphRequest): Promise<GraphResponse> {
    const tenantId = tenantOf(customer);
    const url = resolve(request.url, tenantId);
    const what = `${request.method} ${url.pathname}`;
    let renewed = false;
    /** A Retry-After too long to wait out inside the call: the tenant is skipped until then. */
    const skipTenant = (hinted: number): GraphError => {
      const until = deps.clock.now().getTime() + hinted;
      deps.health.throttle(customer, tenantId, until);
      return throttledError(tenantId, until);
    };

    async function attempt(): Promise<GraphResponse> {
      const until = deps.health.throttledUntil(tenantId);
      if (until !== null) throw throttledError(tenantId, until);
      let bearer: string;
      try {
        bearer = await token(customer, tenantId);
      } catch (error) {
        if (error instanceof GraphError && error.kind === 'unavailable' && !abort.signal.aborted)
          throw new AttemptFailure({ kind: 'notSent' }, () => error);
        throw error;
      }
      await pace(tenantId);
      let res: HttpResponse;
      try {
        res = await sendHttps(
          deps.agent,
          {
            method: request.method,
            url,
            headers: {
              authorization: `Bearer ${bearer}`,
              accept: 'application/json',
              prefer: 'include-unknown-enum-members',
              'client-request-id': randomUUID(),
              'user-agent': 'defender-experts-bot',
              ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
            },
            ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
            timeoutMs: tuning.requestTimeoutMs,
          },
          abort.signal,
        );
      } catch (error) {
        const failure =
          error instanceof HttpFailure ? error : new HttpFailure('network', String(error), false);
        if (failure.kind === 'aborted') throw closing(tenantId);
        deps.metrics.request(customer.id, failure.kind);
        throw new AttemptFailure(
          { kind: failure.notSent ? 'notSent' : 'unclear' },
          () => new GraphError('unavailable', tenantId, `${what}: ${failure.message}`, { cause: failure }),
        );
      }
      const { status } = res;
      deps.metrics.request(customer.id, `${Math.floor(status / 100)}xx`);
      if ((status >= 200 && status < 300) || status === 404) {
        deps.health.succeeded(customer, tenantId);
        return { status, body: parse(tenantId, res) };
      }
      const hinted = retryAfterMs(res.headers['retry-after'], deps.clock.now());
      if (status === 429) {
        deps.metrics.throttled(customer.id);
        const wait = hinted ?? tuning.defaultRetryAfterMs;
        throw new AttemptFailure({ kind: 'throttled', retryAfterMs: wait }, () => skipTenant(wait));
      }
      if (status === 401 && !renewed) {
        // An expired or revoked token: a fresh credential fetches a new one once before we call it lost.
        renewed = true;
        credentials.delete(tenantId);
        const reason = describeGraphError(status, res.text);
        const lost = (): GraphError => {
          deps.health.refused(customer, tenantId, reason);
          return new GraphError('access_lost', tenantId, `${what}: ${reason}`, { status });
        };
        throw new AttemptFailure({ kind: 'notSent' }, lost, true);
      }
      if (status === 403 && request.method !== 'GET') {
        // Reading works but writing does not: SecurityIncident.ReadWrite.All was not granted. Not a lost tenant.
        throw new GraphError('forbidden', tenantId, `${what}: ${describeGraphError(status, res.text)}`, {
          status,
        });
      }
      if (status === 401 || status === 403) {
        const reason = describeGraphError(status, res.text);
        deps.health.refused(customer, tenantId, reason);
        throw new GraphError('access_lost', tenantId, `${what}: ${reason}`, { status });
      }
      if (status >= 500 || status === 408) {
        if (hinted !== null && hinted > tuning.maxInlineRetryAfterMs) throw skipTenant(hinted);
        const unavailable = (): GraphError =>
          new GraphError('unavailable', tenantId, `${what}: ${describeGraphError(status, res.text)}`, {
            status,
          });
        // A 503 that says when to come back turned the request away; any other 5xx may have applied it.
        const turnedAway = status === 503 && hinted !== null;
        throw new AttemptFailure(
          { kind: turnedAway ? 'notSent' : 'unclear', retryAfterMs: hinted },
          unavailable,
        );
      }
      throw new GraphError('rejected', tenantId, `${what}: ${describeGraphError(status, res.text)}`, {
        status,
      });
    }

    return retry(
      {
        idempotent: request.idempotent,
        maxAttempts: tuning.maxAttempts,
        baseMs: tuning.backoffBaseMs,
        capMs: tuning.backoffCapMs,
        maxRetryAfterMs: tuning.maxInlineRetryAfterMs,
        random: deps.random,
        sleep: (ms) => pause(tenantId, ms),
        classify: (error) => (error instanceof AttemptFailure ? error.failure : { kind: 'final' }),
        onRetry: ({ attempt: n, error, waitMs }) => {
          const why = error instanceof Error ? error.message : String(error);
          deps.logger.debug({ customer: customer.id, attempt: n + 1, why }, `${what}: retrying`);
          return error instanceof AttemptFailure && error.immediate ? 0 : waitMs;
        },
        giveUp: (error) => (error instanceof AttemptFailure ? error.final() : error),
      },
      attempt,
    );
  }

  async function probe(): Promise<void> {
    try {
      const res = await sendHttps(
        deps.agent,
        {
          method: 'GET',
          url: new URL(`${base}/v1.0/`),
          headers: { accept: 'application/json' },
          timeoutMs: tuning.requestTimeoutMs,
        },
        abort.signal,
      );
      if (res.status >= 500) throw new Error(`HTTP ${res.status}`);
    } catch (error) {
      throw new GraphError('unavailable', '', `Microsoft Graph is not reachable: ${String(error)}`, {
        cause: error,
      });
    }
  }

  return {
    send,
    probe,
    close() {
      abort.abort();
      credentials.clear();
    },
  };
}
