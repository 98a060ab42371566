import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteStore } from '../../adapters/sqlite/sqlite-store.js';
import { storeLeaseContract } from './store-lease-contract.js';

// The send-lease contract on a real SQLite file (its PostgreSQL run is in postgres-store.test.ts).
storeLeaseContract('sqlite', async (clock) => {
  const dir = await mkdtemp(join(tmpdir(), 'dxb-store-lease-'));
  const store = await createSqliteStore({ file: join(dir, 'bot.sqlite'), clock });
  return {
    store,
    cleanup: async () => {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});
