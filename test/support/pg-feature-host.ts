import { afterAll, beforeAll } from 'vitest';
import { createPostgresStore, type PostgresStore } from '../../adapters/postgres/postgres-store.js';
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
