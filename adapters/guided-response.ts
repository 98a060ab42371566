import type { AppConfig } from '../bot/config/env.js';
import type { Customer, Directory } from '../bot/domain/customer.js';
import type { Clock, IncidentSource, Logger, SimulationControl, Store } from '../bot/ports.js';
import type { IncidentWriter, ResponseExecutor, ResponseStore } from '../bot/response/ports.js';
import { createResponseService, type ResponseService } from '../bot/response/service.js';
import { createDefenderClients, createDefenderExecutor } from './defender/defender-executor.js';
import { graphSettings } from './graph/config.js';
import { createSimulatedExecutor, createSimulatedWriter } from './simulated/response-executor.js';
import type { OpenedStore } from './stores.js';

// Wires guided response for the composition root: its store beside the core store, the executor
// (simulated for the embedded default; Defender for Endpoint + Entra with INCIDENT_SOURCE=graph when a
// customer enabled execution), the writer (the Graph source, or the simulation's comments), and the
// background loop that follows runs to their end and retries audit comments that did not get through.

export interface GuidedResponseWiring {
  readonly service: ResponseService | null;
  /** Late-bound: what to do after a change (the composition root points it at sync + dispatch). */
  onChanged(callback: (customerId: string, incidentId: string) => Promise<void>): void;
  start(intervalMs: number): void;
  stop(): Promise<void>;
}

export interface GuidedResponseWiringDeps {
  readonly opened: OpenedStore;
  readonly source: IncidentSource;
  readonly simulation: SimulationControl | null;
  readonly directory: Directory;
  readonly clock: Clock;
  readonly logger: Logger;
}

const hasWriter = (source: IncidentSource): source is IncidentSource & IncidentWriter =>
  'addComment' in source && typeof (source as { addComment?: unknown }).addComment === 'function';

/** Builds guided response; a store without a response module leaves the cards read-only. */
export function createGuidedResponse(
  config: Readonly<AppConfig>,
  deps: GuidedResponseWiringDeps,
): GuidedResponseWiring {
  const { logger, clock } = deps;
  let changed: ((customerId: string, incidentId: string) => Promise<void>) | null = null;
  const responses: ResponseStore | null = deps.opened.features.responses;

  let executor: ResponseExecutor | null = null;
  let writer: IncidentWriter | null = null;
  let closeClients: (() => void) | null = null;
  if (deps.simulation !== null) {
    executor = createSimulatedExecutor({ clock });
    writer = createSimulatedWriter(deps.simulation);
  } else {
    writer = hasWriter(deps.source) ? deps.source : null;
    if (
      config.INCIDENT_SOURCE === 'graph' &&
      deps.directory.customers.some((c) => c.responseExecution === true)
    ) {
      const settings = graphSettings(config, deps.directory);
      const clients = createDefenderClients({
        ...settings,
        defenderBaseUrl: config.DEFENDER_API_URL,
        logger,
        clock,
      });
      executor = createDefenderExecutor(clients);
      closeClients = () => clients.close();
    }
  }

  const service =
    responses === null
      ? null
      : createResponseService({
          responses,
          store: deps.opened.store as Store,
          executor,
          writer,
          clock,
          logger,
          changed: (customerId, incidentId) => changed?.(customerId, incidentId),
        });
  const customers = new Map<string, Customer>(deps.directory.customers.map((c) => [c.id, c]));
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> | null = null;

  return {
    service,
    onChanged(callback) {
      changed = callback;
    },
    start(intervalMs) {
      if (service === null || timer !== null) return;
      timer = setInterval(() => {
        running ??= service
          .pollOnce(customers)
          .catch((error: unknown) => logger.error({ err: error }, 'guided-response poll failed'))
          .finally(() => {
            running = null;
          });
      }, intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer !== null) clearInterval(timer);
      timer = null;
      await running;
      closeClients?.();
    },
  };
}
