import { createSdmStore } from '../../adapters/store/sdm/sdm-store.js';
import { usePgFeatureHosts } from '../support/pg-feature-host.js';
import { sdmStoreContract } from './sdm-store-contract.js';

// The SDM store contract on PostgreSQL: this file's own schema, a fresh core store per test.
const hosts = usePgFeatureHosts('sdm');

sdmStoreContract('postgres', async () => {
  const host = await hosts.open();
  return { store: await createSdmStore(host.host), cleanup: () => host.close() };
});
