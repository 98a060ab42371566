import { createUserCheckStore } from '../../adapters/store/user-check/user-check-store.js';
import { usePgFeatureHosts } from '../support/pg-feature-host.js';
import { userCheckStoreContract } from './user-check-store-contract.js';

// The "Was this you?" store contract on PostgreSQL: this file's own schema, a fresh core store per test.
const hosts = usePgFeatureHosts('user_checks');

userCheckStoreContract('postgres', async () => {
  const base = await hosts.open();
  return { store: await createUserCheckStore(base.host), cleanup: () => base.close() };
});
