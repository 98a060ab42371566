import { createRelayStore } from '../../adapters/store/relay/relay-store.js';
import { usePgFeatureHosts } from '../support/pg-feature-host.js';
import { relayStoreContract } from './relay-store-contract.js';

// The relay store contract on PostgreSQL: this file's own schema, a fresh core store (instance) per test.
const hosts = usePgFeatureHosts('relay');

relayStoreContract('postgres', async () => {
  const base = await hosts.open();
  return { store: await createRelayStore(base.host), cleanup: () => base.close() };
});
