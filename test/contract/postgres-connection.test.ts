import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionConfig } from '../../adapters/postgres/pool.js';
import { createPostgresStore } from '../../adapters/postgres/postgres-store.js';
import { mapPgError } from '../../adapters/store/errors.js';
import { BotError } from '../../bot/errors.js';
import { createTestSchema, TEST_DATABASE_URL, type TestSchema } from '../support/pg-schema.js';

// Connections of the shared store: named, with TCP keepalive and statement limits,
// and a connection the server or network dropped reads as a lost connection the store recovers from —
// never as "the store is closed", which only our own close() means.

let schema: TestSchema;
let probe: pg.Client;
beforeAll(async () => {
  schema = await createTestSchema('conn');
  probe = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await probe.connect();
});
afterAll(async () => {
  await probe?.end();
  await schema?.drop();
});

describe('PostgreSQL store connections', () => {
  it('sets keepalive, a statement timeout and an application name on every connection', async () => {
    const config = connectionConfig({ connectionString: TEST_DATABASE_URL });
    expect(config).toMatchObject({ keepAlive: true, application_name: 'defender-experts-bot' });
    expect(config.statement_timeout).toBeGreaterThan(0);
    expect(config.query_timeout).toBeGreaterThan(Number(config.statement_timeout));
    const store = await createPostgresStore({
      connectionString: schema.connectionString,
      schema: schema.schema,
    });
    try {
      const r = await store.pool.query<{ app: string; st: string }>(
        "SELECT current_setting('application_name') AS app, current_setting('statement_timeout') AS st",
      );
      expect(r.rows[0]).toEqual({ app: 'defender-experts-bot', st: '30s' });
    } finally {
      await store.close();
    }
  });

  it('reports a connection the server dropped as lost (not closed) and serves the next call on a new one', async () => {
    const store = await createPostgresStore({
      connectionString: schema.connectionString,
      schema: schema.schema,
    });
    try {
      const marker = `dxb_drop_${randomUUID().replaceAll('-', '')}`;
      const busy = store.pool.query(`SELECT pg_sleep(20) AS ${marker}`).catch((e: unknown) => e);
      let killed = 0;
      for (let i = 0; i < 100 && killed === 0; i += 1) {
        await new Promise((r) => setTimeout(r, 20));
        const k = await probe.query(
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE $1 AND pid <> pg_backend_pid()',
          [`%${marker}%`],
        );
        killed = k.rowCount ?? 0;
      }
      expect(killed).toBe(1);
      const mapped = mapPgError(await busy, store.target);
      expect(mapped).toBeInstanceOf(BotError);
      expect((mapped as BotError).code).toBe('store_unavailable');
      expect((mapped as BotError).message).not.toMatch(/is closed/);
      expect((mapped as BotError).message).toMatch(/closed the connection|lost the connection/);
      await expect(store.ping()).resolves.toBeUndefined();
      expect(await store.countPendingOutbox()).toBeGreaterThanOrEqual(0);
    } finally {
      await store.close();
    }
    // Our own close() is what "closed" means.
    const closed = await store.ping().catch((e: unknown) => e);
    expect((closed as BotError).message).toMatch(/is closed/);
  });

  it('words driver messages of a dropped connection as lost, and only a pool we ended as closed', () => {
    for (const message of [
      'Connection terminated unexpectedly',
      'Client was closed and is not queryable',
      'Query read timeout',
    ]) {
      const e = mapPgError(new Error(message), 'db:5432/bot') as BotError;
      expect(e.message).toMatch(/lost the connection to PostgreSQL at db:5432\/bot/);
      expect(e.message).not.toMatch(/is closed/);
    }
    const ended = mapPgError(new Error('Cannot use a pool after calling end on the pool'), 'db:5432/bot');
    expect((ended as BotError).message).toBe('PostgreSQL store for db:5432/bot is closed');
  });
});
