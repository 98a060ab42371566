import type Database from 'better-sqlite3';
import { sql } from 'kysely';
import { BotError } from '../../bot/errors.js';
import { type Clock, type Logger, systemClock } from '../../bot/ports.js';
import { CORE_SCHEMA } from '../store/core/core-schema.js';
import { type CoreStore, createCoreStore } from '../store/core/core-store.js';
import { openSqliteDb, type SqliteDbOptions } from '../store/sqlite.js';
import { sqliteOutboxLeases } from './outbox-leases.js';

// The embedded default Store: one SQLite file, one connection, one process. The Store itself is the shared
// core (store/core); what is SQLite's own is the file's vetting (open.ts) and the outbox leases.

export interface SqliteStoreOptions extends SqliteDbOptions {
  /** Path of the database file (parent directories are created), or ':memory:' for throwaway tests. */
  readonly file: string;
  /** Time source for claimOnce retention and outbox times; tests pass a fake clock. */
  readonly clock?: Clock;
}

/** The Store plus the open connection, for the feature stores not yet on the shared handle. */
export interface SqliteStore extends CoreStore {
  readonly database: Database.Database;
  readonly file: string;
  readonly logger: Logger;
}

/** The one process that owns the file names its leases so. */
export const SQLITE_INSTANCE = 'local';

/**
 * Opens the file (verifying and migrating it) and returns the Store. Start-up fails right here with
 * StoreCorruptError / SchemaTooNewError rather than on the first request.
 */
export async function createSqliteStore(options: SqliteStoreOptions): Promise<SqliteStore> {
  const db = openSqliteDb(options.file, options);
  const { logger } = db;
  const clock = options.clock ?? systemClock;
  try {
    await db.migrate(CORE_SCHEMA);
    // Claims taken before they moved to their own file (open.ts) are honoured until they expire.
    const now = clock.now().getTime();
    await db.run(() =>
      sql`INSERT OR IGNORE INTO claims.claims (key, expires_at)
        SELECT key, expires_at FROM main.claims WHERE expires_at > ${now}`.execute(db.kysely),
    );
  } catch (error) {
    await db.close();
    throw error;
  }
  const core = createCoreStore({
    db,
    clock,
    logger,
    instanceId: SQLITE_INSTANCE,
    leases: sqliteOutboxLeases(db, SQLITE_INSTANCE),
    // One writer (BEGIN IMMEDIATE) serialises saves; no leadership, so no fence to check.
    guard: async () => undefined,
    claims: { table: 'claims.claims', write: (work) => work(db.kysely) },
    ping: async () => {
      if (!db.database.open) throw new BotError('store_unavailable', `SQLite database ${db.file} is closed`);
      await sql`SELECT 1`.execute(db.kysely);
    },
    close: () => db.close(),
  });
  return { ...core, database: db.database, file: db.file, logger };
}
