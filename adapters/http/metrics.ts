import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import type { TurnObserver } from '../../bot/bot.js';

// Prometheus metrics on a registry per app instance (tests run several apps in one process).

export interface Metrics extends TurnObserver {
  readonly registry: Registry;
}

/** Turn latency and outcome counters (errors are outcome="error"), plus the process defaults. */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const turns = new Counter({
    name: 'bot_turns_total',
    help: 'Inbound turns by kind and outcome (ok, duplicate, unlinked, refused, bad_input, error)',
    labelNames: ['kind', 'outcome'] as const,
    registers: [registry],
  });
  const errors = new Counter({
    name: 'bot_turn_errors_total',
    help: 'Turns that failed on our side',
    labelNames: ['kind'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'bot_turn_duration_seconds',
    help: 'Time to answer an inbound turn',
    labelNames: ['kind'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  return {
    registry,
    turnFinished(kind, outcome, seconds) {
      turns.inc({ kind, outcome });
      if (outcome === 'error') errors.inc({ kind });
      latency.observe({ kind }, seconds);
    },
  };
}
