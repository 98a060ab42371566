import { createHmac, randomBytes } from 'node:crypto';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

// What operators watch per customer: requests by status class, throttling, lost access, and how long after
// Graph's lastUpdateDateTime we first saw a change (the poller's detection lag). /metrics is read without
// credentials, so a series names a customer only by an opaque key (an HMAC of the customer id under a key
// the operator keeps): the scrape shows neither tenant ids nor names, nor which customers are unmonitored.

export interface GraphMetrics {
  /** statusClass: "2xx", "4xx", "5xx", … or "timeout"/"network" when no response came. */
  request(customerId: string, statusClass: string): void;
  throttled(customerId: string): void;
  access(customerId: string, ok: boolean): void;
  detected(lagSeconds: number, experts: boolean): void;
}

/** A customer's metrics label: 12 hex characters of HMAC-SHA256 over the customer id. */
export function opaqueCustomerLabel(secret: string): (customerId: string) => string {
  return (customerId) =>
    createHmac('sha256', secret).update(`metrics-label:${customerId}`).digest('hex').slice(0, 12);
}

/**
 * Registers the Graph metrics on `registry` (a private one when absent, so tests can read their own); `label`
 * turns a customer id into its series label (a per-process random key when absent).
 */
export function createGraphMetrics(
  registry: Registry = new Registry(),
  label: (customerId: string) => string = opaqueCustomerLabel(randomBytes(32).toString('hex')),
): GraphMetrics & { registry: Registry } {
  const requests = new Counter({
    name: 'graph_requests_total',
    help: 'Microsoft Graph requests by customer (opaque key) and status class (timeout/network: no response)',
    labelNames: ['customer', 'status_class'] as const,
    registers: [registry],
  });
  const throttles = new Counter({
    name: 'graph_throttled_total',
    help: 'Graph 429 answers by customer (opaque key)',
    labelNames: ['customer'] as const,
    registers: [registry],
  });
  const lost = new Counter({
    name: 'graph_access_lost_total',
    help: 'Times a customer (opaque key) refused the app (consent revoked, secret wrong): counted once per loss',
    labelNames: ['customer'] as const,
    registers: [registry],
  });
  const access = new Gauge({
    name: 'graph_tenant_access',
    help: '1 while the app can read the customer (opaque key), 0 after it refused us, until it works again',
    labelNames: ['customer'] as const,
    registers: [registry],
  });
  const lag = new Histogram({
    name: 'graph_incident_detection_lag_seconds',
    help: "Time from an incident version's lastUpdateDateTime to the poll that first read it",
    labelNames: ['experts'] as const,
    buckets: [5, 15, 30, 60, 90, 120, 180, 300, 600, 1800, 3600],
    registers: [registry],
  });
  return {
    registry,
    request: (id, statusClass) => requests.inc({ customer: label(id), status_class: statusClass }),
    throttled: (id) => throttles.inc({ customer: label(id) }),
    access(id, ok) {
      if (!ok) lost.inc({ customer: label(id) });
      access.set({ customer: label(id) }, ok ? 1 : 0);
    },
    detected: (seconds, experts) =>
      lag.observe({ experts: experts ? 'true' : 'false' }, Math.max(0, seconds)),
  };
}
