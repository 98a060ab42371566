import { randomUUID } from 'node:crypto';
import { Agent } from 'node:https';
import { setTimeout as delay } from 'node:timers/promises';
import type { Customer } from '../../bot/domain/customer.js';
import { type Clock, type Logger, systemClock } from '../../bot/ports.js';
import type { RemoteStatus, ResponseExecutor } from '../../bot/response/response-ports.js';
import { ResponseExecutionError } from '../../bot/response/response-ports.js';
import { createTenantCredential, type GraphAppCredential } from '../graph/credentials.js';
import { GraphError } from '../graph/errors.js';
import { createGraphClient, type GraphClient } from '../graph/graph-client.js';
import { createGraphMetrics } from '../graph/metrics.js';
import { createTenantHealth } from '../graph/tenant-health.js';
import { DEFAULT_TUNING, type GraphTuning } from '../graph/tuning.js';
import { canAddress, EXECUTOR_KINDS } from './executor-actions.js';
import { DEFENDER_SCOPE, machineCall, machineStatus } from './machine-actions.js';
import { userCall } from './user-actions.js';

// The production executor: Defender for Endpoint machine actions against DEFENDER_API_URL and Entra user
// actions through Microsoft Graph, both with the Graph source's credential model (one app registration,
// client credentials per customer tenant) and its client (budget, Retry-After, no blind POST retries).

/** The two clients the executor calls through; tests build them against loopback stand-ins. */
export interface DefenderExecutorClients {
  readonly defender: GraphClient;
  readonly graph: GraphClient;
}

const DEFENDER_PREFIX = 'mde:';
const ENTRA_PREFIX = 'entra:';

/** Maps a client failure to what the card may say: refused (don't retry as is) or unreachable. */
function executionError(error: unknown, what: string): ResponseExecutionError {
  if (error instanceof GraphError) {
    const retryable = error.kind === 'throttled' || error.kind === 'unavailable';
    const why =
      error.kind === 'forbidden' || error.kind === 'access_lost'
        ? 'the app lacks the permission for it in this tenant'
        : error.kind === 'throttled'
          ? 'Microsoft is throttling requests; try again in a few minutes'
          : error.message;
    return new ResponseExecutionError(`${what}: ${why}`, retryable, { cause: error });
  }
  return new ResponseExecutionError(`${what}: the service could not be reached`, true, { cause: error });
}

/** Builds the executor over its clients. */
export function createDefenderExecutor(clients: DefenderExecutorClients): ResponseExecutor {
  return {
    kinds: EXECUTOR_KINDS,
    canRun: canAddress,
    async start({ customer, action, comment }) {
      // The flow never offers it, but the executor does not rely on that: an excluded asset is never run.
      if (action.target.excluded) throw new ResponseExecutionError('excluded assets are never run', false);
      const machine = machineCall(action, comment.slice(0, 1000));
      if (machine !== null) {
        let res: Awaited<ReturnType<GraphClient['send']>>;
        try {
          res = await clients.defender.send(customer, {
            method: 'POST',
            url: machine.path,
            body: machine.body,
            idempotent: false,
          });
        } catch (error) {
          throw executionError(error, 'Microsoft Defender refused the action');
        }
        if (res.status === 404)
          throw new ResponseExecutionError('Microsoft Defender does not know this device', false);
        const id = (res.body as { id?: unknown } | null)?.id;
        if (typeof id !== 'string' || id === '') {
          throw new ResponseExecutionError(
            'Microsoft Defender accepted the action but sent no action id',
            false,
          );
        }
        return { remoteId: `${DEFENDER_PREFIX}${id}`, status: machineStatus(res.body) };
      }
      const user = userCall(action);
      if (user === null) throw new ResponseExecutionError('this action cannot be run on this target', false);
      try {
        const res = await clients.graph.send(customer, {
          method: user.method,
          url: user.url,
          body: user.body,
          idempotent: user.idempotent,
        });
        if (res.status === 404)
          throw new ResponseExecutionError('Microsoft Entra does not know this user', false);
      } catch (error) {
        if (error instanceof ResponseExecutionError) throw error;
        throw executionError(error, 'Microsoft Entra refused the action');
      }
      return {
        remoteId: `${ENTRA_PREFIX}${action.kind}:${randomUUID()}`,
        status: { state: 'completed', detail: 'Microsoft Entra applied it.' },
      };
    },
    async status(customer: Customer, remoteId: string): Promise<RemoteStatus> {
      if (remoteId.startsWith(ENTRA_PREFIX))
        return { state: 'completed', detail: 'Microsoft Entra applied it.' };
      if (!remoteId.startsWith(DEFENDER_PREFIX)) return { state: 'failed', detail: 'Unknown remote action.' };
      const id = remoteId.slice(DEFENDER_PREFIX.length);
      try {
        const res = await clients.defender.send(customer, {
          method: 'GET',
          url: `/api/machineactions/${encodeURIComponent(id)}`,
          idempotent: true,
        });
        if (res.status === 404)
          return { state: 'failed', detail: 'Microsoft Defender no longer knows this action.' };
        return machineStatus(res.body);
      } catch (error) {
        throw executionError(error, 'reading the action status');
      }
    },
  };
}

/** What the composition root passes: the app registration (as for the Graph source) and the two hosts. */
export interface DefenderExecutorSettings {
  readonly clientId: string;
  readonly credential: GraphAppCredential;
  readonly authorityHost: string;
  readonly graphBaseUrl: string;
  /** DEFENDER_API_URL. */
  readonly defenderBaseUrl: string;
  readonly logger: Logger;
  readonly clock?: Clock;
  readonly agent?: Agent;
  /** Politeness knobs (default: the Graph source's — 30 requests a minute per tenant and API). */
  readonly tuning?: Partial<GraphTuning>;
  /** Token scopes; default: defenderScope(defenderBaseUrl) and `<GRAPH_BASE_URL origin>/.default`. */
  readonly scopes?: { readonly defender?: string; readonly graph?: string };
}

/**
 * The token scope for a Defender API host: the documented audience for the commercial hosts
 * (api.security.microsoft.com, its regional hosts, api.securitycenter.microsoft.com); otherwise the host's
 * own origin (e.g. GCC's api-gcc.securitycenter.microsoft.us, or a loopback stand-in).
 */
export function defenderScope(defenderBaseUrl: string): string {
  const url = new URL(defenderBaseUrl);
  return /(^|\.)security(center)?\.microsoft\.com$/i.test(url.hostname)
    ? DEFENDER_SCOPE
    : `${url.origin}/.default`;
}

/** Builds both clients from settings (private metrics and tenant health: they are not the poller's). */
export function createDefenderClients(settings: DefenderExecutorSettings): DefenderExecutorClients & {
  close(): void;
} {
  const clock = settings.clock ?? systemClock;
  const agent = settings.agent ?? new Agent({ keepAlive: true, maxSockets: 8 });
  const client = (base: string, scope: string): GraphClient => {
    const metrics = createGraphMetrics();
    return createGraphClient({
      baseUrl: new URL(base.replace(/\/+$/, '')),
      scope,
      createCredential: (tenantId) =>
        createTenantCredential(
          {
            clientId: settings.clientId,
            credential: settings.credential,
            authorityHost: settings.authorityHost,
            agent,
          },
          tenantId,
        ),
      agent,
      health: createTenantHealth({ logger: settings.logger, metrics, clock }),
      metrics,
      clock,
      sleep: (ms, signal) => delay(ms, undefined, { signal }),
      random: Math.random,
      tuning: { ...DEFAULT_TUNING, ...settings.tuning },
      logger: settings.logger,
    });
  };
  const defender = client(
    settings.defenderBaseUrl,
    settings.scopes?.defender ?? defenderScope(settings.defenderBaseUrl),
  );
  const graph = client(
    settings.graphBaseUrl,
    settings.scopes?.graph ?? `${new URL(settings.graphBaseUrl).origin}/.default`,
  );
  return {
    defender,
    graph,
    close() {
      defender.close();
      graph.close();
      if (settings.agent === undefined) agent.destroy();
    },
  };
}
