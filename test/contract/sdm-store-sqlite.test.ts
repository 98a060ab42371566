import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteStore } from '../../adapters/sqlite/sqlite-store.js';
import { createSdmStore } from '../../adapters/store/sdm/sdm-store.js';
import { sdmStoreContract } from './sdm-store-contract.js';

// The SdmStore contract on a real SQLite file, sharing the core store's connection as in production.
sdmStoreContract('sqlite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'dxb-sdm-store-'));
  const base = await createSqliteStore({ file: join(dir, 'bot.sqlite') });
  return {
    store: await createSdmStore(base.host),
    cleanup: async () => {
      await base.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});
