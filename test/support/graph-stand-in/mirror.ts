import { ticksOf } from '../../../adapters/graph/instant.js';
import { createSqliteStore } from '../../../adapters/sqlite/sqlite-store.js';
import type { Directory } from '../../../bot/domain/customer.js';
import type { IncidentChange, IncidentSource, Store } from '../../../bot/ports.js';
import { createIncidentSync, type IncidentSync } from '../../../bot/sync/incident-sync.js';
import type { GraphHarness } from './harness.js';

// The production read path around a Graph harness: incident-sync polling the Graph source into the real
// SQLite store (cursor persisted with the incidents). It records what the source handed out and which
// changes the store reported, so tests can say "no gap" (the store equals Graph) and "no duplicate" (no
// version handed out, or reported as a change, twice).

export interface Mirror {
  readonly store: Store;
  readonly sync: IncidentSync;
  /** Every version the source handed out, as "customer/id@lastUpdateDateTime", in order. */
  readonly handedOut: string[];
  /** Every change the store reported to the pipeline, same form. */
  readonly changes: string[];
  /** Runs incident-sync's pass over every customer (failures are logged by it and skipped). */
  syncAll(): Promise<void>;
  /** Incidents whose stored version differs from the stand-in's current one (or that are missing). */
  gaps(): Promise<string[]>;
  /** Versions handed out (or reported as changes) more than once. */
  duplicates(): string[];
  close(): Promise<void>;
}

const key = (customerId: string, id: string, lastUpdate: string): string =>
  `${customerId}/${id}@${ticksOf(lastUpdate)?.toString() ?? lastUpdate}`;

const repeated = (list: readonly string[]): string[] => {
  const seen = new Set<string>();
  return list.filter((k) => {
    if (seen.has(k)) return true;
    seen.add(k);
    return false;
  });
};

/** Wires incident-sync between the harness's current source and a SQLite store in `file`. */
export async function createMirror(h: GraphHarness, file = ':memory:'): Promise<Mirror> {
  const store = await createSqliteStore({ file, clock: h.time.clock });
  const handedOut: string[] = [];
  const changes: string[] = [];
  // A thin recording layer; it always delegates to the harness's current source (restartSource swaps it).
  const source: IncidentSource = {
    kind: 'graph',
    async readChanges(customer, cursor) {
      const batch = await h.source.readChanges(customer, cursor);
      for (const i of batch.incidents) handedOut.push(key(customer.id, i.id, i.lastUpdateDateTime));
      return batch;
    },
    getIncident: (customer, id) => h.source.getIncident(customer, id),
    ping: () => h.source.ping(),
  };
  const directory: Directory = {
    customers: h.customers,
    experts: {
      slackTeamId: null,
      slackChannelId: null,
      teamsTenantId: null,
      teamsChannelId: null,
      teamsServiceUrl: null,
      members: [],
    },
  };
  const sync = createIncidentSync({
    store,
    source,
    directory,
    logger: { debug() {}, info() {}, warn() {}, error() {} },
    onChanges: async (customer, list: readonly IncidentChange[]) => {
      for (const c of list) changes.push(key(customer.id, c.current.id, c.current.lastUpdateDateTime));
    },
  });
  return {
    store,
    sync,
    handedOut,
    changes,
    syncAll: () => sync.syncAll(),
    async gaps() {
      const out: string[] = [];
      for (const customer of h.customers) {
        for (const incident of h.standIn.table.list(customer.entraTenantId ?? '')) {
          const stored = await store.getIncident(customer.id, incident.id);
          const want = ticksOf(incident.lastUpdateDateTime);
          const have = stored === null ? null : ticksOf(stored.lastUpdateDateTime);
          if (have !== want)
            out.push(
              `${customer.id}/${incident.id}: stand-in ${incident.lastUpdateDateTime}, store ${stored?.lastUpdateDateTime ?? 'missing'}`,
            );
        }
      }
      return out;
    },
    duplicates: () => [...repeated(handedOut), ...repeated(changes)],
    async close() {
      await sync.stop();
      await store.close();
    },
  };
}
