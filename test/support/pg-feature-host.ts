import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { createPostgresStore, type PostgresStore } from '../../adapters/postgres/postgres-store.js';
import { createSqliteStore } from '../../adapters/sqlite/sqlite-store.js';
import type { FeatureHost } from '../../adapters/store/host.js';
import { createTestSchema, type TestSchema } from './pg-schema.js';

// For the feature-store contract runners on PostgreSQL: one schema per test file (dropped afterwards) and,
// per test, a fresh PostgresStore on it (its own pool, like another bot instance) to hand to a feature store.

export interface PgFeatureHosts {
  /** A new core store on this file's schema; close it in the fixture's cleanup. */
  open(): Promise<PostgresStore>;
}

/** Registers the schema's beforeAll/afterAll in the calling test file. */
export function usePgFeatureHosts(label: string): PgFeatureHosts {
  let schema: TestSchema | undefined;
  beforeAll(async () => {
    schema = await createTestSchema(label);
  });
  afterAll(async () => {
    await schema?.drop();
  });
  return {
    async open() {
      if (schema === undefined) throw new Error('the test schema is created in beforeAll');
      return createPostgresStore({ connectionString: schema.connectionString, schema: schema.schema });
    },
  };
}

/**
 * One check of a feature store, as two tests: on a fresh SQLite file and on this file's PostgreSQL schema.
 * Call it at the top level of a test file (it registers the schema's hooks).
 */
export function onBothDatabases<S>(
  title: string,
  label: string,
  open: (host: FeatureHost) => Promise<S>,
  check: (store: S) => Promise<void>,
): void {
  const hosts = usePgFeatureHosts(label);
  describe(title, () => {
    it('sqlite', async () => {
      const dir = await mkdtemp(join(tmpdir(), `dxb-${label}-`));
      const base = await createSqliteStore({ file: join(dir, 'bot.sqlite') });
      try {
        await check(await open(base.host));
      } finally {
        await base.close();
        await rm(dir, { recursive: true, force: true });
      }
    });
    it('postgres', async () => {
      const base = await hosts.open();
      try {
        await check(await open(base.host));
      } finally {
        await base.close();
      }
    });
  });
}
