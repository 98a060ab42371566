import { createResponseStore } from '../../adapters/store/response/response-store.js';
import { usePgFeatureHosts } from '../support/pg-feature-host.js';
import { responseStoreContract } from './response-store-contract.js';

// The guided-response store contract on PostgreSQL: this file's own schema, a fresh core store per test.
const hosts = usePgFeatureHosts('response');

responseStoreContract('postgres', async () => {
  const host = await hosts.open();
  return { responses: await createResponseStore(host.host), cleanup: () => host.close() };
});
