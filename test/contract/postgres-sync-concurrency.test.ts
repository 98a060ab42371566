import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPollerLeadership } from '../../adapters/postgres/leadership.js';
import { createPostgresStore, type PostgresStore } from '../../adapters/postgres/postgres-store.js';
import type { Customer } from '../../bot/domain/customer.js';
import type { ChangeBatch, IncidentSource } from '../../bot/ports.js';
import { createIncidentSync } from '../../bot/sync/incident-sync.js';
import { makeCustomer } from '../support/make-customer.js';
import { createTestSchema, type TestSchema } from '../support/pg-schema.js';

// Polling concurrency: a replica leading many customers through a slow source must not poll them one after
// another (a pass of customers × latency outlasts the poll interval). With leadership the pass runs a few
// customers at once; without it (the single-process store) it stays one at a time, in directory order.

let schema: TestSchema;
let store: PostgresStore;
beforeAll(async () => {
  schema = await createTestSchema('syncpar');
  store = await createPostgresStore({ connectionString: schema.connectionString, schema: schema.schema });
});
afterAll(async () => {
  await store?.close();
  await schema?.drop();
});

/** A source port whose every read takes `ms`, counting how many reads overlap. */
function slowSource(ms: number): IncidentSource & { readonly maxInFlight: () => number; order: string[] } {
  let inFlight = 0;
  let max = 0;
  const order: string[] = [];
  return {
    kind: 'graph',
    order,
    maxInFlight: () => max,
    async readChanges(customer: Customer): Promise<ChangeBatch> {
      inFlight += 1;
      max = Math.max(max, inFlight);
      order.push(customer.id);
      await new Promise((r) => setTimeout(r, ms));
      inFlight -= 1;
      return { incidents: [], cursor: `c-${customer.id}`, baseline: false };
    },
    async getIncident() {
      return null;
    },
    async ping() {},
  };
}
const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const directoryOf = (customers: Customer[]) => ({
  customers,
  experts: {
    slackTeamId: null,
    slackChannelId: null,
    teamsTenantId: null,
    teamsChannelId: null,
    teamsServiceUrl: null,
    members: [],
  },
});

describe('incident sync pass with leadership', () => {
  it('polls its customers four at a time and still syncs every one', async () => {
    const customers = Array.from({ length: 10 }, (_, i) =>
      makeCustomer(`par${i}-${randomUUID().slice(0, 6)}`),
    );
    const source = slowSource(150);
    const leadership = createPollerLeadership({
      connectionString: schema.connectionString,
      schema: schema.schema,
      target: 'test',
      instanceId: store.instanceId,
      timeoutMs: 5_000,
      logger: quiet,
    });
    try {
      const sync = createIncidentSync({
        store,
        source,
        directory: directoryOf(customers),
        logger: quiet,
        leadership,
      });
      const started = Date.now();
      await sync.syncAll();
      const took = Date.now() - started;
      expect(source.maxInFlight()).toBe(4);
      for (const c of customers) expect(await store.getCursor(c.id)).toBe(`c-${c.id}`);
      expect(took).toBeLessThan(10 * 150); // serial would be at least 1.5 s
    } finally {
      await leadership.close();
    }
  });

  it('stays one customer at a time, in directory order, without leadership (the embedded store)', async () => {
    const customers = Array.from({ length: 4 }, (_, i) =>
      makeCustomer(`ser${i}-${randomUUID().slice(0, 6)}`),
    );
    const source = slowSource(20);
    const sync = createIncidentSync({ store, source, directory: directoryOf(customers), logger: quiet });
    await sync.syncAll();
    expect(source.maxInFlight()).toBe(1);
    expect(source.order).toEqual(customers.map((c) => c.id));
  });
});
