import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteStore } from '../../adapters/sqlite/sqlite-store.js';
import { createResponseStore } from '../../adapters/store/response/response-store.js';
import { responseStoreContract } from './response-store-contract.js';

// The guided-response store contract on a real SQLite file, sharing the core store's connection.
responseStoreContract('sqlite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'dxb-response-store-'));
  const store = await createSqliteStore({ file: join(dir, 'bot.sqlite') });
  const responses = await createResponseStore(store.host);
  return {
    responses,
    cleanup: async () => {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});
