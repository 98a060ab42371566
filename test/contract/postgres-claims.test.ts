import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStore } from '../../adapters/postgres/postgres-store.js';
import { createTestSchema, type TestSchema } from '../support/pg-schema.js';

// A claim is taken on every chat turn: on PostgreSQL its commit must not wait for the WAL flush, and that
// relaxation must stay inside the claim's own transaction (the pooled connection serves everything else).

let schema: TestSchema;
beforeAll(async () => {
  schema = await createTestSchema('claims');
});
afterAll(async () => {
  await schema?.drop();
});

describe('PostgreSQL idempotency claims', () => {
  it('commit with synchronous_commit off, and leave the connection as it was', async () => {
    const store = await createPostgresStore({
      connectionString: schema.connectionString,
      schema: schema.schema,
      poolSize: 1,
    });
    try {
      // A trigger notes the setting the claim's insert ran under.
      await store.pool.query(`
        CREATE TABLE seen (setting text NOT NULL);
        CREATE FUNCTION note_commit_mode() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN INSERT INTO seen VALUES (current_setting('synchronous_commit')); RETURN NEW; END $$;
        CREATE TRIGGER note_commit_mode BEFORE INSERT ON claims FOR EACH ROW EXECUTE FUNCTION note_commit_mode();`);
      expect(await store.claimOnce('turn-1', 3600)).toBe(true);
      expect(await store.claimOnce('turn-1', 3600)).toBe(false);
      expect((await store.pool.query('SELECT setting FROM seen')).rows).toEqual([
        { setting: 'off' },
        { setting: 'off' },
      ]);
      const after = await store.pool.query<{ s: string }>(
        "SELECT current_setting('synchronous_commit') AS s",
      );
      expect(after.rows[0]?.s).toBe('on');
    } finally {
      await store.close();
    }
  });
});
