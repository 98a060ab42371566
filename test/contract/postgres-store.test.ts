import { afterAll, beforeAll } from 'vitest';
import { createPostgresStore } from '../../adapters/postgres/postgres-store.js';
import type { Clock } from '../../bot/ports.js';
import { createTestSchema, type TestSchema } from '../support/pg-schema.js';
import { storeContract } from './store-contract.js';
import { storeLeaseContract } from './store-lease-contract.js';
import { storeOutboxContract } from './store-outbox-contract.js';

// The same Store contract suites as SQLite, against a real PostgreSQL server, in a schema of this file's own
// (created here, dropped afterwards). Each test gets its own store (pool and instance) on that schema.

let schema: TestSchema;
beforeAll(async () => {
  schema = await createTestSchema('contract');
});
afterAll(async () => {
  await schema?.drop();
});

const makeStore = async (clock: Clock) => {
  const store = await createPostgresStore({
    connectionString: schema.connectionString,
    schema: schema.schema,
    clock,
  });
  return { store, cleanup: () => store.close() };
};

storeContract('postgres', makeStore);
storeOutboxContract('postgres', makeStore);
storeLeaseContract('postgres', makeStore);
