import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteStore } from '../../adapters/sqlite/sqlite-store.js';
import { createQuestionsStore } from '../../adapters/store/questions/questions-store.js';
import { createRelayStore } from '../../adapters/store/relay/relay-store.js';
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
  return { store: await createRelayStore(base.host), cleanup };
});

questionsStoreContract('sqlite', async () => {
  const { base, cleanup } = await fresh();
  return { store: await createQuestionsStore(base.host), cleanup };
});
