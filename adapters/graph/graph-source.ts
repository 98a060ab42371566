import { Agent } from 'node:https';
import { setTimeout as delay } from 'node:timers/promises';
import type { Registry } from 'prom-client';
import type { Customer } from '../../bot/domain/customer.js';
import type { AlertSummary, Incident } from '../../bot/domain/incident.js';
import { type Clock, type IncidentSource, type Logger, systemClock } from '../../bot/ports.js';
import { createTenantCredential, type GraphAppCredential } from './credentials.js';
import { GraphError } from './errors.js';
import { createGraphClient, type GraphClient } from './graph-client.js';
import { incidentFromGraph, isIncidentId } from './incident-json.js';
import { createGraphMetrics } from './metrics.js';
import { readIncidentChanges } from './read-changes.js';
import { type AccessCallback, createTenantHealth } from './tenant-health.js';
import { DEFAULT_TUNING, type GraphTuning } from './tuning.js';
import { createIncidentWriter, type IncidentWriter } from './writer.js';

// The production incident source: every customer's Microsoft Defender XDR incidents through the
// Microsoft Graph security API, one Entra tenant per customer, with one app registration for all of them.

/** Everything createGraphSource takes: the app registration, the two hosts, and test seams. */
export interface GraphSourceOptions {
  /** GRAPH_CLIENT_ID: the app registration every customer tenant consented to. */
  readonly clientId: string;
  readonly credential: GraphAppCredential;
  /** GRAPH_BASE_URL, e.g. https://graph.microsoft.com. */
  readonly graphBaseUrl: string;
  /** AZURE_AUTHORITY_HOST, e.g. https://login.microsoftonline.com. */
  readonly authorityHost: string;
  readonly logger: Logger;
  readonly clock?: Clock;
  /** Injected by tests so backoff, Retry-After and budget waits take no wall time. */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly random?: () => number;
  /** Where the graph_* metrics are registered (the app's /metrics registry); a private one when absent. */
  readonly registry?: Registry;
  /** A customer's label on the graph_* series (opaque: /metrics is unauthenticated); per-process when absent. */
  readonly metricsLabel?: (customerId: string) => string;
  /** TLS trust and connection pool for Graph and Entra; default: keep-alive on the system CAs (+ NODE_EXTRA_CA_CERTS). */
  readonly agent?: Agent;
  /** Called once when a customer's tenant starts refusing the app, e.g. to tell the customer's admin. */
  readonly onAccessLost?: AccessCallback;
  readonly onAccessRestored?: AccessCallback;
  readonly tuning?: Partial<GraphTuning>;
}

/** The Graph source: the IncidentSource port, the writes guided response needs, and its metrics. */
export interface GraphSource extends IncidentSource, IncidentWriter {
  readonly kind: 'graph';
  /** The alerts of one incident (null: no such incident for this customer). */
  listAlerts(customer: Customer, incidentId: string): Promise<readonly AlertSummary[] | null>;
  readonly registry: Registry;
  /** The tenant-budgeted client, shared with other Graph readers (readiness / Secure Score). */
  readonly client: GraphClient;
  /** Stops sleeps and requests in flight and closes idle connections. */
  close(): void;
}

// /readyz: a Graph answer this recent proves reachability without spending any tenant's budget.
const RECENT_SUCCESS_MS = 5 * 60_000;
const PROBE_CACHE_MS = 30_000;

/** Creates the source; nothing is requested until the first read. */
export function createGraphSource(options: GraphSourceOptions): GraphSource {
  const tuning: GraphTuning = { ...DEFAULT_TUNING, ...options.tuning };
  if (
    tuning.requestsPerMinute < 1 ||
    tuning.requestsPerMinute > 150 ||
    tuning.pageSize < 1 ||
    tuning.pageSize > 50
  ) {
    throw new RangeError('Graph tuning: requestsPerMinute must be 1–150 and pageSize 1–50');
  }
  const baseUrl = new URL(options.graphBaseUrl.replace(/\/+$/, ''));
  const clock = options.clock ?? systemClock;
  const logger = options.logger;
  const agent = options.agent ?? new Agent({ keepAlive: true, maxSockets: 16 });
  const metrics = createGraphMetrics(options.registry, options.metricsLabel);
  const health = createTenantHealth({
    logger,
    metrics,
    clock,
    ...(options.onAccessLost ? { onAccessLost: options.onAccessLost } : {}),
    ...(options.onAccessRestored ? { onAccessRestored: options.onAccessRestored } : {}),
  });
  const client = createGraphClient({
    baseUrl,
    scope: `${baseUrl.origin}/.default`,
    createCredential: (tenantId) =>
      createTenantCredential(
        {
          clientId: options.clientId,
          credential: options.credential,
          authorityHost: options.authorityHost,
          agent,
        },
        tenantId,
      ),
    agent,
    health,
    metrics,
    clock,
    sleep: options.sleep ?? ((ms, signal) => delay(ms, undefined, { signal })),
    random: options.random ?? Math.random,
    tuning,
    logger,
  });
  const writer = createIncidentWriter(client);
  let probedAt: number | null = null;

  async function fetchIncident(customer: Customer, incidentId: string): Promise<Incident | null> {
    if (!isIncidentId(incidentId)) return null;
    try {
      const res = await client.send(customer, {
        method: 'GET',
        url: `/v1.0/security/incidents/${encodeURIComponent(incidentId)}?$expand=alerts`,
        idempotent: true,
      });
      return res.status === 404 ? null : incidentFromGraph(res.body, customer.id);
    } catch (error) {
      // Graph answers 400 to an id that is not one of its incident ids: as unknown as any other.
      if (error instanceof GraphError && error.kind === 'rejected' && error.status === 400) return null;
      throw error;
    }
  }

  return {
    kind: 'graph',
    registry: metrics.registry,
    readChanges: (customer, cursor) =>
      readIncidentChanges({ client, clock, logger, metrics, tuning }, customer, cursor),
    getIncident: fetchIncident,
    async listAlerts(customer, incidentId) {
      return (await fetchIncident(customer, incidentId))?.alerts ?? null;
    },
    async ping() {
      const now = clock.now().getTime();
      const last = health.lastSuccessAt();
      if (last !== null && now - last < RECENT_SUCCESS_MS) return;
      if (probedAt !== null && now - probedAt < PROBE_CACHE_MS) return;
      await client.probe();
      probedAt = now;
    },
    addComment: writer.addComment,
    updateIncident: writer.updateIncident,
    updateCustomTags: writer.updateCustomTags,
    client,
    close() {
      client.close();
      if (options.agent === undefined) agent.destroy();
    },
  };
}
