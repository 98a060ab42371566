import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteStore } from '../../adapters/sqlite/sqlite-store.js';
import { createUserCheckStore } from '../../adapters/store/user-check/user-check-store.js';
import { userCheckStoreContract } from './user-check-store-contract.js';

// The "Was this you?" store contract on a real SQLite file.
userCheckStoreContract('sqlite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'dxb-user-check-'));
  const base = await createSqliteStore({ file: join(dir, 'bot.sqlite') });
  return {
    store: await createUserCheckStore(base.host),
    cleanup: async () => {
      await base.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});
