import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPollerLeadership } from '../../adapters/postgres/leadership.js';
import { assertServerVersion } from '../../adapters/postgres/pool.js';
import { createPostgresStore } from '../../adapters/postgres/postgres-store.js';
import { BotError } from '../../bot/errors.js';
import { createTestSchema, TEST_DATABASE_URL, type TestSchema } from '../support/pg-schema.js';

// The poller-leadership session's own hygiene: a lock session whose setup fails is ended,
// not leaked (each retry used to leave one more), and a server older than PostgreSQL 14 is refused.

let schema: TestSchema;
let probe: pg.Client;
beforeAll(async () => {
  schema = await createTestSchema('leader');
  probe = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await probe.connect();
});
afterAll(async () => {
  await probe?.end();
  await schema?.drop();
});

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const sessionsNamed = async (name: string): Promise<number> => {
  const r = await probe.query<{ n: string }>(
    'SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1',
    [name],
  );
  return Number(r.rows[0]?.n ?? 0);
};
/** Sessions end asynchronously on the server after the client's Terminate: wait a little for them. */
const settledSessions = async (name: string, want: number): Promise<number> => {
  const until = Date.now() + 3_000;
  let n = await sessionsNamed(name);
  while (n !== want && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 50));
    n = await sessionsNamed(name);
  }
  return n;
};

describe('PostgreSQL poller leadership: sessions', () => {
  it('holds one named session while leading and none after close', async () => {
    const app = `dxb-lead-${randomUUID().slice(0, 8)}`;
    const leadership = createPollerLeadership({
      connectionString: schema.connectionString,
      schema: schema.schema,
      target: 'test',
      instanceId: 'ok',
      timeoutMs: 5_000,
      logger: quiet,
      applicationName: app,
    });
    await createPostgresStore({ connectionString: schema.connectionString, schema: schema.schema }).then(
      (s) => s.close(),
    );
    expect(await leadership.lead('c1')).toMatchObject({ customerId: 'c1' });
    expect(await sessionsNamed(app)).toBe(1);
    await leadership.close();
    expect(await settledSessions(app, 0)).toBe(0);
  });

  it('ends the session when its setup fails, on every attempt and retry: none is left behind', async () => {
    const app = `dxb-lead-${randomUUID().slice(0, 8)}`;
    // An idle_session_timeout the server refuses (out of range): the SET after connect fails.
    const leadership = createPollerLeadership({
      connectionString: schema.connectionString,
      schema: schema.schema,
      target: 'test',
      instanceId: 'bad',
      timeoutMs: 3_000_000_000,
      logger: quiet,
      applicationName: app,
    });
    for (let i = 0; i < 3; i += 1) {
      const error = await leadership.lead(`c${i}`).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BotError);
      expect((error as BotError).code).toBe('store_unavailable');
      expect((error as BotError).message).toMatch(/idle_session_timeout/);
    }
    expect(await settledSessions(app, 0)).toBe(0);
    await leadership.close();
  });
});

describe('PostgreSQL poller leadership: fair share', () => {
  it('hands customers above its share back to a replica that joined, and takes orphans at once', async () => {
    const stores = [] as { close(): Promise<void> }[];
    const storeFor = async (instanceId: string) => {
      const s = await createPostgresStore({
        connectionString: schema.connectionString,
        schema: schema.schema,
        instanceId,
      });
      stores.push(s);
      return s;
    };
    const id = randomUUID().slice(0, 8);
    const [i1, i2] = [`one-${id}`, `two-${id}`];
    const leader = (instanceId: string) =>
      createPollerLeadership({
        connectionString: schema.connectionString,
        schema: schema.schema,
        target: 'test',
        instanceId,
        timeoutMs: 5_000,
        logger: quiet,
        rebalanceAfterMs: 0,
      });
    const customers = ['a', 'b', 'c', 'd'].map((c) => `${c}-${id}`);
    const pass = async (l: ReturnType<typeof leader>) => {
      const led: string[] = [];
      for (const c of customers) if ((await l.lead(c)) !== null) led.push(c);
      return led;
    };
    try {
      await storeFor(i1);
      const one = leader(i1);
      const two = leader(i2);
      try {
        expect(await pass(one)).toEqual(customers); // alone: all four
        await storeFor(i2); // a second replica joins
        expect(await pass(two)).toEqual([]); // all held by a live leader
        await new Promise((r) => setTimeout(r, 1_100)); // the live count is cached for a second
        // Asked about all four at once (a pass runs customers concurrently): exactly the surplus goes back.
        const kept = await Promise.all(customers.map((c) => one.lead(c)));
        expect(kept.filter((f) => f !== null)).toHaveLength(2); // share is ceil(4 / 2)
        expect(kept.slice(0, 2)).toEqual([null, null]);
        expect(await pass(two)).toEqual(customers.slice(0, 2));
        const leases = await probe.query<{ customer_id: string; owner: string; released: boolean }>(
          `SELECT customer_id, owner, released_at IS NOT NULL AS released FROM ${schema.schema}.poller_leases
            WHERE customer_id = ANY($1::text[]) ORDER BY customer_id`,
          [customers],
        );
        expect(leases.rows.map((r) => [r.owner, r.released])).toEqual([
          [i2, false],
          [i2, false],
          [i1, false],
          [i1, false],
        ]);
        // The first replica goes away: its customers are orphans, taken at once although above the share.
        await one.close();
        expect(await pass(two)).toEqual(customers);
      } finally {
        await one.close();
        await two.close();
      }
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });
});

describe('PostgreSQL server version', () => {
  it('refuses a server older than 14 in one line saying what is wrong and what to do', () => {
    for (const [num, shown] of [
      ['130011', '13'],
      ['90624', '9.6'],
    ] as const) {
      const error = (() => {
        try {
          assertServerVersion(num, 'db.internal:5432/bot');
        } catch (e) {
          return e;
        }
        return null;
      })();
      expect(error).toBeInstanceOf(BotError);
      expect((error as BotError).code).toBe('store_unavailable');
      const message = (error as BotError).message;
      expect(message).toContain(`db.internal:5432/bot is version ${shown}`);
      expect(message).toMatch(/PostgreSQL 14 or newer is required/);
      expect(message).toMatch(/upgrade the server/);
      expect(message).not.toContain('\n');
    }
    expect(() => assertServerVersion('140000', 't')).not.toThrow();
    expect(() => assertServerVersion(170002, 't')).not.toThrow();
  });

  it('opens on the test server (14 or newer) after checking its version', async () => {
    const store = await createPostgresStore({
      connectionString: schema.connectionString,
      schema: schema.schema,
    });
    await store.ping();
    await store.close();
  });
});
