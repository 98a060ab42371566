import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteStore } from '../../adapters/sqlite/sqlite-store.js';
import { storeContract } from './store-contract.js';
import { storeOutboxContract } from './store-outbox-contract.js';

// The Store contract on a real SQLite file in a fresh temporary directory (nested, so the adapter must
// create the parent directory itself).
storeContract('sqlite', async (clock) => {
  const dir = await mkdtemp(join(tmpdir(), 'dxb-store-contract-'));
  const store = await createSqliteStore({ file: join(dir, 'data', 'bot.sqlite'), clock });
  return {
    store,
    cleanup: async () => {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

storeOutboxContract('sqlite', async (clock) => {
  const dir = await mkdtemp(join(tmpdir(), 'dxb-store-outbox-'));
  const store = await createSqliteStore({ file: join(dir, 'bot.sqlite'), clock });
  return {
    store,
    cleanup: async () => {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});
