import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteQuestionsStore } from '../../adapters/sqlite/questions-store.js';
import { createSqliteRelayStore } from '../../adapters/sqlite/relay-store.js';
import { createSqliteStore } from '../../adapters/sqlite/sqlite-store.js';
import { questionsStoreContract } from './questions-store-contract.js';
import { relayStoreContract } from './relay-store-contract.js';

// The relay and questions store contracts on real SQLite files.
async function fresh() {
  const dir = await mkdtemp(join(tmpdir(), 'dxb-relay-contract-'));
  const base = await createSqliteStore({ file: join(dir, 'bot.sqlite') });
  return {
    base,
    cleanup: async () => {
      await base.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

relayStoreContract('sqlite', async () => {
  const { base, cleanup } = await fresh();
  return { store: createSqliteRelayStore(base), cleanup };
});

questionsStoreContract('sqlite', async () => {
  const { base, cleanup } = await fresh();
  return { store: createSqliteQuestionsStore(base), cleanup };
});
