import { Counter, Gauge, Histogram, Registry } from 'prom-client';

// What operators watch per customer tenant: requests by status class, throttling, lost access, and how long
// after Graph's lastUpdateDateTime we first saw a change (the poller's detection lag).

export interface GraphMetrics {
  /** statusClass: "2xx", "4xx", "5xx", … or "timeout"/"network" when no response came. */
  request(tenantId: string, statusClass: string): void;
  throttled(tenantId: string): void;
  access(tenantId: string, ok: boolean): void;
  detected(lagSeconds: number, experts: boolean): void;
}

/** Registers the Graph metrics on `registry` (a private one when absent, so tests can read their own). */
export function createGraphMetrics(
  registry: Registry = new Registry(),
): GraphMetrics & { registry: Registry } {
  const requests = new Counter({
    name: 'graph_requests_total',
    help: 'Microsoft Graph requests by customer tenant and status class (timeout/network: no response)',
    labelNames: ['tenant', 'status_class'] as const,
    registers: [registry],
  });
  const throttles = new Counter({
    name: 'graph_throttled_total',
    help: 'Graph 429 answers by customer tenant',
    labelNames: ['tenant'] as const,
    registers: [registry],
  });
  const lost = new Counter({
    name: 'graph_access_lost_total',
    help: 'Times a customer tenant refused the app (consent revoked, secret wrong): counted once per loss',
    labelNames: ['tenant'] as const,
    registers: [registry],
  });
  const access = new Gauge({
    name: 'graph_tenant_access',
    help: '1 while the app can read the tenant, 0 after it refused us, until it works again',
    labelNames: ['tenant'] as const,
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
    request: (tenant, statusClass) => requests.inc({ tenant, status_class: statusClass }),
    throttled: (tenant) => throttles.inc({ tenant }),
    access(tenant, ok) {
      if (!ok) lost.inc({ tenant });
      access.set({ tenant }, ok ? 1 : 0);
    },
    detected: (seconds, experts) =>
      lag.observe({ experts: experts ? 'true' : 'false' }, Math.max(0, seconds)),
  };
}
