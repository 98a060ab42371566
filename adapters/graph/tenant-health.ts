import type { Customer } from '../../bot/domain/customer.js';
import type { Clock, Logger } from '../../bot/ports.js';
import type { GraphMetrics } from './metrics.js';

// Per-tenant health: whether the tenant still lets us in, and until when it asked us to stay away.
// A loss of access is reported once (log, metric, callback for the customer's admin), not on every poll,
// and its recovery is reported once too. Other tenants never wait on this one.

/** Called once when a tenant starts refusing the app, and once when it works again. */
export type AccessCallback = (customer: Customer, reason: string) => void | Promise<void>;

/** Where health changes are reported: log, metrics, and the composition's callbacks. */
export interface TenantHealthDeps {
  readonly logger: Logger;
  readonly metrics: GraphMetrics;
  readonly clock: Clock;
  readonly onAccessLost?: AccessCallback;
  readonly onAccessRestored?: AccessCallback;
}

/** The per-tenant state the client consults before and after each request. */
export interface TenantHealth {
  /** Epoch ms until which the tenant is throttled, or null when it may be asked now. */
  throttledUntil(tenantId: string): number | null;
  throttle(customer: Customer, tenantId: string, untilMs: number): void;
  succeeded(customer: Customer, tenantId: string): void;
  refused(customer: Customer, tenantId: string, reason: string): void;
  /** Epoch ms of the last answer from Graph for any tenant (for readiness). */
  lastSuccessAt(): number | null;
}

/** Creates the health book for every tenant of one Graph source. */
export function createTenantHealth(deps: TenantHealthDeps): TenantHealth {
  const lost = new Map<string, string>();
  const known = new Set<string>();
  const throttled = new Map<string, number>();
  let lastOk: number | null = null;

  const notify = (callback: AccessCallback | undefined, customer: Customer, reason: string): void => {
    if (callback === undefined) return;
    // The callback is the composition's business (e.g. a message to the admin); it must not stop polling.
    Promise.resolve()
      .then(() => callback(customer, reason))
      .catch((error: unknown) =>
        deps.logger.error({ customer: customer.id, err: error }, 'Graph access callback failed'),
      );
  };

  return {
    throttledUntil(tenantId) {
      const until = throttled.get(tenantId);
      if (until === undefined) return null;
      if (until > deps.clock.now().getTime()) return until;
      throttled.delete(tenantId);
      return null;
    },
    throttle(customer, tenantId, untilMs) {
      const previous = throttled.get(tenantId) ?? 0;
      if (untilMs <= previous) return;
      throttled.set(tenantId, untilMs);
      deps.logger.warn(
        { customer: customer.id, tenant: tenantId, until: new Date(untilMs).toISOString() },
        'Microsoft Graph throttled this tenant: skipping it until Retry-After has passed',
      );
    },
    succeeded(customer, tenantId) {
      lastOk = deps.clock.now().getTime();
      const reason = lost.get(tenantId);
      if (reason !== undefined) {
        lost.delete(tenantId);
        deps.metrics.access(customer.id, true);
        deps.logger.info({ customer: customer.id, tenant: tenantId }, 'Microsoft Graph access restored');
        notify(deps.onAccessRestored, customer, reason);
      } else if (!known.has(tenantId)) {
        deps.metrics.access(customer.id, true);
      }
      known.add(tenantId);
    },
    refused(customer, tenantId, reason) {
      known.add(tenantId);
      if (lost.has(tenantId)) return;
      lost.set(tenantId, reason);
      deps.metrics.access(customer.id, false);
      deps.logger.warn(
        { customer: customer.id, tenant: tenantId, reason },
        "Microsoft Graph access lost for this customer's tenant (consent revoked or credentials refused); other tenants carry on",
      );
      notify(deps.onAccessLost, customer, reason);
    },
    lastSuccessAt: () => lastOk,
  };
}
