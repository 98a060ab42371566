import { join } from 'node:path';
import type { Registry } from 'prom-client';
import type { AppConfig } from '../../bot/config/env.js';
import type { Directory } from '../../bot/domain/customer.js';
import type { Clock, IncidentSource, Logger, SimulationControl } from '../../bot/ports.js';
import { graphSettings } from '../graph/config.js';
import type { GraphClient } from '../graph/graph-client.js';
import { createGraphSource } from '../graph/graph-source.js';
import { opaqueCustomerLabel } from '../graph/metrics.js';
import { createAnchoredSimulation } from '../simulated/anchored.js';
import { keptKey } from './report-link-key.js';

// Picks the incident source from INCIDENT_SOURCE (part of the composition root).

export interface ComposedSource {
  readonly source: IncidentSource;
  /** The simulation's remote control (dev console expert panel); null for real sources. */
  readonly simulation: SimulationControl | null;
  /** Work before the first sync (the simulation replays the steps due since its anchor). */
  prepare?(): Promise<void>;
  /** The Graph client (INCIDENT_SOURCE=graph), for other Graph readers sharing the tenant budget. */
  readonly graphClient?: GraphClient;
  /** Starts background work (the simulation's timer). */
  start(): void;
  stop(): Promise<void>;
}

export interface SourceDeps {
  readonly directory: Directory;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The app's metrics registry (/metrics); the Graph source registers its graph_* metrics there. */
  readonly registry?: Registry;
}

/** The metrics key file inside DATA_DIR when REPORT_LINK_SECRET is unset. */
export const METRICS_LABEL_KEY_FILE = 'metrics-label.key';

/**
 * Customers' opaque metrics labels, keyed by a secret the operator keeps: derived from REPORT_LINK_SECRET
 * when set (replicas share it, so they label a customer alike), else a key kept in DATA_DIR. The mapping is
 * logged once so the operator can find a customer's series; the scrape itself never names one.
 */
function metricsLabels(config: Readonly<AppConfig>, deps: SourceDeps): (customerId: string) => string {
  const secret = config.REPORT_LINK_SECRET ?? keptKey(config.DATA_DIR, METRICS_LABEL_KEY_FILE).key;
  const label = opaqueCustomerLabel(secret);
  deps.logger.info(
    { labels: Object.fromEntries(deps.directory.customers.map((c) => [c.id, label(c.id)])) },
    'metrics: each customer’s opaque label on the graph_* series',
  );
  return label;
}

/** Builds the configured source. */
export function createSource(config: Readonly<AppConfig>, deps: SourceDeps): ComposedSource {
  switch (config.INCIDENT_SOURCE) {
    case 'simulated': {
      const sim = createAnchoredSimulation({
        customers: deps.directory.customers,
        seed: config.SIMULATION_SEED,
        stepMs: config.SIMULATION_STEP_SECONDS * 1000,
        anchorFile: join(config.DATA_DIR, 'simulation-anchor.json'),
        clock: deps.clock,
        logger: deps.logger,
      });
      return {
        source: sim.source,
        simulation: sim.source,
        async prepare() {
          await sim.catchUp();
        },
        start() {
          sim.start();
        },
        async stop() {
          sim.stop();
        },
      };
    }
    case 'graph': {
      // Throws ConfigError naming each customer without an entraTenantId (and any other Graph set-up problem).
      const graph = createGraphSource({
        ...graphSettings(config, deps.directory),
        logger: deps.logger,
        clock: deps.clock,
        ...(deps.registry ? { registry: deps.registry } : {}),
        metricsLabel: metricsLabels(config, deps),
      });
      return {
        source: graph,
        simulation: null,
        graphClient: graph.client,
        start() {},
        async stop() {
          graph.close();
        },
      };
    }
  }
}
