import { createPostgresQuestionsStore } from '../../adapters/postgres/questions-store.js';
import { usePgFeatureHosts } from '../support/pg-feature-host.js';
import { questionsStoreContract } from './questions-store-contract.js';

// The questions store contract on PostgreSQL: this file's own schema, a fresh core store (instance) per test.
const hosts = usePgFeatureHosts('questions');

questionsStoreContract('postgres', async () => {
  const host = await hosts.open();
  return { store: await createPostgresQuestionsStore(host), cleanup: () => host.close() };
});
