import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import type { AlertObserver } from '../../bot/alerts/dispatcher.js';
import type { TurnObserver } from '../../bot/bot.js';

// Prometheus metrics on a registry per app instance (tests run several apps in one process).

export interface Metrics extends TurnObserver, AlertObserver {
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
  const alertsDelivered = new Counter({
    name: 'bot_alerts_delivered_total',
    help: 'Alert messages delivered, by platform and event kind',
    labelNames: ['platform', 'kind'] as const,
    registers: [registry],
  });
  const alertFailures = new Counter({
    name: 'bot_alert_failures_total',
    help: 'Alert delivery failures, by platform and failure (throttled, transient, gone, forbidden, invalid, error)',
    labelNames: ['platform', 'failure'] as const,
    registers: [registry],
  });
  const bindingsPaused = new Counter({
    name: 'bot_alert_bindings_paused_total',
    help: 'Alert bindings paused after repeated gone/forbidden failures',
    labelNames: ['platform'] as const,
    registers: [registry],
  });
  const detectionToPost = new Histogram({
    name: 'bot_alert_detection_to_post_seconds',
    help: 'From detecting an incident change to delivering its alert',
    labelNames: ['platform'] as const,
    buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 1800],
    registers: [registry],
  });
  return {
    registry,
    delivered(platform, kind, ms) {
      alertsDelivered.inc({ platform, kind });
      if (ms !== null) detectionToPost.observe({ platform }, ms / 1000);
    },
    failed(platform, failure) {
      alertFailures.inc({ platform, failure });
    },
    bindingPaused(platform) {
      bindingsPaused.inc({ platform });
    },
    turnFinished(kind, outcome, seconds) {
      turns.inc({ kind, outcome });
      if (outcome === 'error') errors.inc({ kind });
      latency.observe({ kind }, seconds);
    },
  };
}
