import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createPollerLeadership } from '../../adapters/postgres/leadership.js';
import { LOCK_NAMESPACE } from '../../adapters/postgres/locks.js';
import { createPostgresStore, type PostgresStore } from '../../adapters/postgres/postgres-store.js';
import { CORE_SCHEMA } from '../../adapters/store/core/core-schema.js';
import { table, text } from '../../adapters/store/declare.js';
import type { FeatureSchema } from '../../adapters/store/migrator.js';
import { BotError } from '../../bot/errors.js';
import type { IncidentSource, OutboxDraft, OutboxItem } from '../../bot/ports.js';
import { createIncidentSync } from '../../bot/sync/incident-sync.js';
import { makeCustomer } from '../support/make-customer.js';
import { makeIncident } from '../support/make-incident.js';
import { createTestSchema, type TestSchema } from '../support/pg-schema.js';
import { testClock } from '../support/test-clock.js';

// What only a shared store must do: poller leadership with fencing, outbox lanes owned by one
// instance at a time and taken over only from instances that are gone, SKIP LOCKED claims across instances.

let schema: TestSchema;
const open: PostgresStore[] = [];
beforeAll(async () => {
  schema = await createTestSchema('scale');
});
afterAll(async () => {
  await Promise.all(open.map((s) => s.close()));
  await schema?.drop();
});

/** The schema stores open on: the file's, or a test's own where leftovers of other tests would count. */
let active: () => TestSchema = () => schema;
const storeNamed = async (instanceId: string, instanceTimeoutMs = 15_000): Promise<PostgresStore> => {
  const s = await createPostgresStore({
    connectionString: active().connectionString,
    schema: active().schema,
    clock,
    instanceId,
    instanceTimeoutMs,
  });
  open.push(s);
  return s;
};
const EXPERTS = {
  slackTeamId: null,
  slackChannelId: null,
  teamsTenantId: null,
  teamsChannelId: null,
  teamsServiceUrl: null,
  members: [],
};
const uid = (label: string): string => `${label}-${randomUUID().slice(0, 8)}`;
const T0 = new Date('2026-11-27T09:00:00.000Z');
/** The one clock of this file: the stores stamp rows with it and the tests claim at its instants. */
const clock = testClock(T0);
const draft = (bindingId: string, incidentId: string, version: string): OutboxDraft => ({
  bindingId,
  customerId: 'c',
  incidentId,
  kind: 'handedOff',
  version,
  payload: {},
});
const leadership = (instanceId: string, timeoutMs = 10_000) =>
  createPollerLeadership({
    connectionString: schema.connectionString,
    schema: schema.schema,
    target: 'test',
    instanceId,
    timeoutMs,
    logger: { debug() {}, info() {}, warn() {}, error() {} },
  });
/** Blocks this whole process (timers, sockets), as SIGSTOP would. */
const freezeProcess = (ms: number): void => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};

describe('PostgreSQL store: errors and migrations', () => {
  it('maps a refused connection to store_unavailable naming the server, never the password', async () => {
    const error = await createPostgresStore({
      connectionString: 'postgres://bot:s3cret-pw@127.0.0.1:1/botdb',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BotError);
    expect((error as BotError).code).toBe('store_unavailable');
    expect((error as BotError).message).toMatch(/127\.0\.0\.1:1\/botdb/);
    expect((error as BotError).message).not.toMatch(/s3cret/);
  });

  it('migrates once when several instances start together, and versions feature modules on their own', async () => {
    const fresh = await createTestSchema('migrate');
    try {
      const stores = await Promise.all(
        [1, 2, 3].map((i) =>
          createPostgresStore({
            connectionString: fresh.connectionString,
            schema: fresh.schema,
            instanceId: `m${i}`,
          }),
        ),
      );
      const rows = await stores[0]?.pool.query('SELECT name FROM kysely_migration_core ORDER BY name');
      expect(rows?.rows.map((r) => r.name)).toEqual(CORE_SCHEMA.migrations.map((m) => m.name));
      expect(rows?.rows.length).toBeGreaterThanOrEqual(4);
      const feature: FeatureSchema = {
        feature: 'feature_x',
        legacy: { sqlite: 0, postgres: 0 },
        tables: { feature_x: table({ id: text() }, { primaryKey: 'id' }) },
        migrations: [{ name: '0001-x' }],
      };
      expect(await stores[0]?.host.db.migrate(feature)).toEqual({ from: 0, to: 1 });
      expect(await stores[1]?.host.db.migrate(feature)).toEqual({ from: 1, to: 1 });
      await stores[0]?.pool.query("INSERT INTO kysely_migration_feature_x VALUES ('0002-newer', 'now')");
      await expect(stores[0]?.host.db.migrate(feature)).rejects.toThrow(/version 2.*up to 1/);
      await Promise.all(stores.map((s) => s.close()));
    } finally {
      await fresh.drop();
    }
  });
});

describe('PostgreSQL store: one poller per customer, fenced', () => {
  it('lets one instance lead; a takeover bumps the fence and the old leader’s late save changes nothing', async () => {
    const store = await storeNamed(uid('writer'));
    const customer = uid('cust');
    const a = leadership('A');
    const b = leadership('B');
    const fenceA = await a.lead(customer);
    expect(fenceA).not.toBeNull();
    expect(await b.lead(customer)).toBeNull();
    await store.saveIncidentChanges(
      customer,
      [makeIncident(customer, { id: '1' })],
      'a-1',
      undefined,
      fenceA ?? undefined,
    );
    await a.close(); // the leader's session ends (a crash closes its socket the same way)
    const fenceB = await b.lead(customer);
    expect(fenceB?.epoch).toBe((fenceA?.epoch ?? 0) + 1);
    const late = store.saveIncidentChanges(
      customer,
      [makeIncident(customer, { id: '2' })],
      'a-2',
      undefined,
      fenceA ?? undefined,
    );
    await expect(late).rejects.toMatchObject({ code: 'conflict' });
    expect(await store.getCursor(customer)).toBe('a-1');
    expect(await store.getIncident(customer, '2')).toBeNull();
    await b.close();
  });

  it('takes leadership from a frozen leader once its session has been silent for the timeout', async () => {
    const customer = uid('cust');
    const a = leadership('A-frozen', 400);
    const b = leadership('B-live', 400);
    const fenceA = await a.lead(customer);
    expect(fenceA).not.toBeNull();
    expect(await b.lead(customer)).toBeNull();
    freezeProcess(1_200); // like SIGSTOP: no heartbeat; the server ends A's idle session and its locks
    const started = Date.now();
    let fenceB = await b.lead(customer);
    while (fenceB === null && Date.now() - started < 3_000) {
      await new Promise((r) => setTimeout(r, 50));
      fenceB = await b.lead(customer);
    }
    expect(fenceB?.epoch).toBe((fenceA?.epoch ?? 0) + 1);
    await new Promise((r) => setTimeout(r, 100));
    expect(await a.lead(customer)).toBeNull(); // A noticed its session is gone and asks again: B leads
    await Promise.all([a.close(), b.close()]);
  });
});

describe('PostgreSQL store: incident sync on several instances', () => {
  it('polls a customer on its leader only; a leader whose session ended stops polling, another takes over', async () => {
    const customer = makeCustomer(uid('cust'));
    const directory = { customers: [customer], experts: EXPERTS };
    // The incident source is a port: this one serves fixed versions and counts who read it.
    const reads: string[] = [];
    let version = '2026-11-27T08:00:00.000Z';
    const sourceFor = (who: string): IncidentSource => ({
      kind: 'simulated',
      async readChanges(c) {
        reads.push(who);
        return { incidents: [makeIncident(c.id, { id: '1', lastUpdateDateTime: version })], cursor: version };
      },
      getIncident: async () => null,
      ping: async () => undefined,
    });
    const quiet = { debug() {}, info() {}, warn() {}, error() {} };
    const [a, b] = [leadership('sync-a'), leadership('sync-b')];
    const storeA = await storeNamed(uid('sync-a'));
    const storeB = await storeNamed(uid('sync-b'));
    const syncA = createIncidentSync({
      store: storeA,
      source: sourceFor('a'),
      directory,
      logger: quiet,
      leadership: a,
    });
    const syncB = createIncidentSync({
      store: storeB,
      source: sourceFor('b'),
      directory,
      logger: quiet,
      leadership: b,
    });
    expect(await syncA.syncCustomer(customer.id)).toHaveLength(1);
    expect(await syncB.syncCustomer(customer.id)).toEqual([]);
    expect(reads).toEqual(['a']); // b did not even read the source
    // a's session ends behind its back (a stall past the timeout): b takes over; a's next save is refused.
    const ended = await storeA.pool.query(
      `SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted
         AND classid = $1::oid AND objid = hashtext(current_schema() || $2)::oid`,
      [LOCK_NAMESPACE, `:poller:${customer.id}`],
    );
    expect(ended.rowCount).toBe(1);
    await new Promise((r) => setTimeout(r, 100));
    version = '2026-11-27T08:05:00.000Z';
    expect(await syncB.syncCustomer(customer.id)).toHaveLength(1);
    expect(await storeB.getCursor(customer.id)).toBe(version);
    expect(await syncA.syncCustomer(customer.id)).toEqual([]);
    expect(reads).toEqual(['a', 'b']);
    await Promise.all([a.close(), b.close()]);
  });
});

describe('PostgreSQL store: outbox lanes across instances', () => {
  // Fair shares count every due lane and every live instance in the schema, so each test here gets a
  // schema of its own: rows and instances left by other tests would change its share.
  let own: TestSchema;
  beforeEach(async () => {
    own = await createTestSchema('lanes');
    active = () => own;
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
    active = () => schema;
    await own.drop();
  });

  it('gives a binding’s lane to one live instance; another takes it (and its leases) only when that one is gone', async () => {
    const one = await storeNamed(uid('one'));
    const [x, y] = [uid('bx'), uid('by')];
    await one.enqueueOutbox([draft(x, '1', 'v1'), draft(y, '1', 'v1')]);
    const mine = <T extends { bindingId: string }>(items: readonly T[]): T[] =>
      items.filter((i) => [x, y].includes(i.bindingId));
    // Alone, one's fair share is every lane in play.
    const first = mine(await one.claimOutbox(100, 60_000, T0));
    expect(first.map((i) => i.bindingId).sort()).toEqual([x, y].sort());
    const two = await storeNamed(uid('two'));
    await one.enqueueOutbox([draft(x, '2', 'v1')]);
    expect(mine(await two.claimOutbox(100, 60_000, T0))).toEqual([]); // x is one's lane while one lives
    expect(mine(await one.claimOutbox(100, 60_000, T0)).map((i) => i.incidentId)).toEqual(['2']);
    expect(await two.recoverOutbox()).toBe(0); // a live instance's leases are never freed by another
    // one stops answering (heartbeat an hour old): its lanes and leased rows move to two.
    await two.pool.query("UPDATE instances SET heartbeat_at = now() - interval '1 hour' WHERE id = $1", [
      one.instanceId,
    ]);
    const taken = mine(await two.claimOutbox(100, 60_000, T0));
    expect(taken.map((i) => `${i.bindingId}:${i.incidentId}`).sort()).toEqual(
      [`${x}:1`, `${x}:2`, `${y}:1`].sort(),
    );
    // The stalled one, resuming, may not send what it had claimed.
    expect(await one.touchOutbox(first[0]?.id ?? -1, 60_000, T0)).toBe(false);
    expect(await two.touchOutbox(first[0]?.id ?? -1, 60_000, T0)).toBe(true);
  });

  it('hands every row to exactly one of three instances claiming at once, one instance per binding', async () => {
    const stores = await Promise.all([uid('p'), uid('q'), uid('r')].map((id) => storeNamed(id)));
    const bindings = Array.from({ length: 12 }, () => uid('lane'));
    const drafts = bindings.flatMap((b) => Array.from({ length: 5 }, (_, i) => draft(b, String(i), 'v1')));
    await stores[0]?.enqueueOutbox(drafts);
    // Rounds of simultaneous claims (each takes a fair share of the free lanes) until every row is out.
    const ofOurs: OutboxItem[][] = stores.map(() => []);
    for (let round = 0; round < 10 && ofOurs.flat().length < drafts.length; round += 1) {
      const claimed = await Promise.all(stores.map((s) => s.claimOutbox(1000, 60_000, T0)));
      claimed.forEach((items, who) => {
        ofOurs[who]?.push(...items.filter((i) => bindings.includes(i.bindingId)));
      });
    }
    const ids = ofOurs.flat().map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(drafts.length);
    const ownerOf = new Map<string, number>();
    ofOurs.forEach((items, who) => {
      for (const item of items) {
        expect(ownerOf.get(item.bindingId) ?? who).toBe(who);
        ownerOf.set(item.bindingId, who);
      }
    });
  });

  it('takes a fair share of the free lanes while other instances live, and starving lanes regardless', async () => {
    const fresh = await createTestSchema('share');
    const make = (id: string) =>
      createPostgresStore({
        connectionString: fresh.connectionString,
        schema: fresh.schema,
        instanceId: id,
        clock,
      });
    const [a, b] = [await make('share-a'), await make('share-b')];
    try {
      const lanes = Array.from({ length: 10 }, () => uid('lane'));
      await a.enqueueOutbox(lanes.map((l) => draft(l, '1', 'v1')));
      // Two live instances, ten lanes in play: each takes five; the second gets the other five.
      const now = clock.now();
      expect(new Set((await a.claimOutbox(100, 60_000, now)).map((i) => i.bindingId)).size).toBe(5);
      expect(new Set((await a.claimOutbox(100, 60_000, now)).map((i) => i.bindingId)).size).toBe(0);
      expect(new Set((await b.claimOutbox(100, 60_000, now)).map((i) => i.bindingId)).size).toBe(5);
      // A new lane whose row has waited five seconds (b alive but not claiming) goes to a at once.
      const late = uid('lane');
      await a.enqueueOutbox([{ ...draft(late, '1', 'v1'), notBefore: new Date(now.getTime() - 6_000) }]);
      expect((await a.claimOutbox(100, 60_000, now)).map((i) => i.bindingId)).toEqual([late]);
    } finally {
      await Promise.all([a.close(), b.close()]);
      await fresh.drop();
    }
  });

  it('frees the leases of its own earlier life (the same INSTANCE_ID) at start-up', async () => {
    const name = uid('pod');
    const before = await storeNamed(name);
    const b = uid('b');
    await before.enqueueOutbox([draft(b, '1', 'v1')]);
    expect((await before.claimOutbox(100, 600_000, T0)).some((i) => i.bindingId === b)).toBe(true);
    const after = await storeNamed(name); // restarted with the same name, the old process is dead
    expect(await after.recoverOutbox()).toBeGreaterThanOrEqual(1);
    expect((await after.claimOutbox(100, 60_000, T0)).some((i) => i.bindingId === b)).toBe(true);
  });
});
