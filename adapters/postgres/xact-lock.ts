import { type Kysely, sql } from 'kysely';
import { LOCK_NAMESPACE } from './locks.js';

// A transaction-level advisory lock on one key (hashed with the schema): what serialises writers across
// instances where SQLite's one writer needs nothing. Held until the transaction ends.

export async function pgXactLock<DB>(trx: Kysely<DB>, key: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${LOCK_NAMESPACE}, hashtext(current_schema() || ':' || ${key}))`.execute(
    trx,
  );
}
