import type { AppConfig } from '../bot/config/env.js';
import type { Directory } from '../bot/domain/customer.js';
import type { Clock, IncidentSource, Logger, SimulationControl } from '../bot/ports.js';
import { createSimulatedSource } from './simulated/simulated-source.js';

// Picks the incident source from INCIDENT_SOURCE (part of the composition root).

export interface ComposedSource {
  readonly source: IncidentSource;
  /** The simulation's remote control (dev console expert panel); null for real sources. */
  readonly simulation: SimulationControl | null;
  /** Starts background work (the simulation's timer). */
  start(): void;
  stop(): Promise<void>;
}

export interface SourceDeps {
  readonly directory: Directory;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** Builds the configured source. */
export function createSource(config: Readonly<AppConfig>, deps: SourceDeps): ComposedSource {
  switch (config.INCIDENT_SOURCE) {
    case 'simulated': {
      const sim = createSimulatedSource({
        customers: deps.directory.customers,
        seed: config.SIMULATION_SEED,
        clock: deps.clock,
      });
      return {
        source: sim,
        simulation: sim,
        start() {
          if (config.SIMULATION_STEP_SECONDS > 0) sim.start(config.SIMULATION_STEP_SECONDS * 1000);
          else sim.setPaused(true);
        },
        async stop() {
          sim.stop();
        },
      };
    }
    case 'graph':
      // GRAPH-SOURCE: the Microsoft Graph source is wired here (issue 5).
      throw new Error('INCIDENT_SOURCE=graph: the Microsoft Graph source is not wired yet');
  }
}
