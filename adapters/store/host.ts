import type { Clock } from '../../bot/ports.js';
import type { CoreTables } from './core/core-schema.js';
import type { StoreDb } from './database.js';

// What a feature store (questions, relay, guided response, SDM…) is given by the core store it lives beside:
// the database handle, the clock and this process's identity. The same on SQLite and PostgreSQL.

export interface FeatureHost {
  readonly db: StoreDb<CoreTables>;
  readonly clock: Clock;
  /** Names this process in leases (one fixed id on SQLite, where one process owns the file). */
  readonly instanceId: string;
}
