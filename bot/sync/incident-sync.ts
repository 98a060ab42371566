import type { Customer, Directory } from '../domain/customer.js';
import { BotError } from '../errors.js';
import type {
  IncidentChange,
  IncidentSource,
  Logger,
  OutboxPlanner,
  PollerFence,
  PollerLeadership,
  Store,
} from '../ports.js';

// Mirrors each customer's incidents from the source into the store, moving the cursor in the same
// transaction, so chat answers come from the store and the alert pipeline can diff versions. Source-agnostic.

export interface IncidentSyncDeps {
  readonly store: Store;
  readonly source: IncidentSource;
  readonly directory: Directory;
  readonly logger: Logger;
  /** Plans alert outbox rows for a customer's changes, written in the same transaction (all or nothing). */
  readonly planFor?: (customer: Customer) => Promise<OutboxPlanner | undefined>;
  /** Called after each customer's changes are durably saved (wakes the alert dispatcher). */
  readonly onChanges?: (customer: Customer, changes: readonly IncidentChange[]) => Promise<void>;
  /**
   * Several instances on a shared store: only the customer's current leader polls, and its saves carry the
   * leadership fence. Absent for the embedded single-process store.
   */
  readonly leadership?: PollerLeadership;
  /**
   * Customers synced at once in a pass (default 4 with leadership, where one replica may poll hundreds of
   * customers through a slow source; 1 for the single-process store, which keeps passes in directory order).
   */
  readonly concurrency?: number;
}

export interface IncidentSync {
  /** Reads and saves one customer's changes; concurrent calls for one customer share a single run. */
  syncCustomer(customerId: string): Promise<readonly IncidentChange[]>;
  /** One pass over every customer; a failing customer does not stop the others. */
  syncAll(): Promise<void>;
  start(intervalMs: number): void;
  stop(): Promise<void>;
}

/** Creates the sync loop; `start` runs a pass at once and then every interval, never overlapping itself. */
export function createIncidentSync(deps: IncidentSyncDeps): IncidentSync {
  const running = new Map<string, Promise<readonly IncidentChange[]>>();
  const failing = new Set<string>();
  let timer: NodeJS.Timeout | null = null;
  let pass: Promise<void> | null = null;

  async function once(customer: Customer): Promise<readonly IncidentChange[]> {
    let fence: PollerFence | undefined;
    if (deps.leadership !== undefined) {
      const led = await deps.leadership.lead(customer.id);
      if (led === null) return []; // another instance polls this customer; chat reads the shared store
      fence = led;
    }
    const cursor = await deps.store.getCursor(customer.id);
    const batch = await deps.source.readChanges(customer, cursor);
    const own = batch.incidents.filter((i) => i.customerId === customer.id);
    const planned = await deps.planFor?.(customer);
    // A snapshot answered to an unrecognised cursor is a baseline, like a first sync.
    const plan =
      planned && batch.baseline ? (changes: readonly IncidentChange[]) => planned(changes, true) : planned;
    let changes: readonly IncidentChange[];
    try {
      changes = await deps.store.saveIncidentChanges(customer.id, own, batch.cursor, plan, fence);
    } catch (error) {
      // A refused fence: another instance took over while this one stalled; its write changed nothing.
      if (fence !== undefined && error instanceof BotError && error.code === 'conflict') {
        deps.leadership?.lost(customer.id);
        deps.logger.warn(
          { customer: customer.id, epoch: fence.epoch },
          'poller fenced off: another instance leads',
        );
        return [];
      }
      throw error;
    }
    if (changes.length > 0 && deps.onChanges) await deps.onChanges(customer, changes);
    return changes;
  }

  function syncCustomer(customerId: string): Promise<readonly IncidentChange[]> {
    const customer = deps.directory.customers.find((c) => c.id === customerId);
    if (customer === undefined) return Promise.resolve([]);
    const existing = running.get(customerId);
    if (existing) return existing;
    const run = once(customer).finally(() => running.delete(customerId));
    running.set(customerId, run);
    return run;
  }

  async function syncOne(customer: Customer): Promise<void> {
    try {
      await syncCustomer(customer.id);
      if (failing.delete(customer.id)) deps.logger.info({ customer: customer.id }, 'incident sync recovered');
    } catch (error) {
      // Logged once per failure streak so a long outage does not flood the log.
      if (!failing.has(customer.id))
        deps.logger.warn({ customer: customer.id, err: error }, 'incident sync failed');
      failing.add(customer.id);
    }
  }

  async function syncAll(): Promise<void> {
    // A few workers take customers in directory order: a pass costs about customers × latency / workers.
    const queue = [...deps.directory.customers];
    const workers = Math.max(1, Math.min(queue.length, deps.concurrency ?? (deps.leadership ? 4 : 1)));
    await Promise.all(
      Array.from({ length: workers }, async () => {
        for (let next = queue.shift(); next !== undefined; next = queue.shift()) await syncOne(next);
      }),
    );
  }

  return {
    syncCustomer,
    syncAll,
    start(intervalMs) {
      if (timer !== null) return;
      const tick = (): void => {
        if (pass === null) pass = syncAll().finally(() => (pass = null));
      };
      tick();
      timer = setInterval(tick, intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer !== null) clearInterval(timer);
      timer = null;
      await pass;
      await Promise.allSettled([...running.values()]);
    },
  };
}
