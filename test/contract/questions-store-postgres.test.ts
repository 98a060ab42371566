import { createQuestionsStore } from '../../adapters/store/questions/questions-store.js';
import { usePgFeatureHosts } from '../support/pg-feature-host.js';
import { questionsStoreContract } from './questions-store-contract.js';

// The questions store contract on PostgreSQL: this file's own schema, a fresh core store (instance) per test.
const hosts = usePgFeatureHosts('questions');

questionsStoreContract('postgres', async () => {
  const base = await hosts.open();
  return { store: await createQuestionsStore(base.host), cleanup: () => base.close() };
});
