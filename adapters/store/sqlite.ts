import type Database from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  type DialectAdapter,
  type Driver,
  Kysely,
  SqliteAdapter,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
} from 'kysely';
import { type OpenOptions, openSqliteDatabase, silentLogger } from '../sqlite/open.js';
import type { CoreTables } from './core/core-schema.js';
import { type StoreDb, storeDb } from './database.js';
import { sqliteDialect } from './dialect.js';
import { mapSqliteError } from './errors.js';

// The SQLite side of the foundation: the file is opened and vetted by sqlite/open.ts (integrity, ownership,
// WAL, synchronous=FULL, foreign keys), then wrapped in Kysely. Two changes to Kysely's stock dialect:
// transactions start IMMEDIATE (the write lock up front, so another process can never make a started
// transaction fail half-way), and DDL runs inside the migrator's transaction (SQLite supports that).

class ImmediateDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class TransactionalDdlAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

class StoreSqliteDialect extends SqliteDialect {
  constructor(private readonly config: SqliteDialectConfig) {
    super(config);
  }
  override createDriver(): Driver {
    return new ImmediateDriver(this.config);
  }
  override createAdapter(): DialectAdapter {
    return new TransactionalDdlAdapter();
  }
}

const STATEMENT_CACHE = 256;

/** Kysely prepares every query anew; this keeps the recent statements prepared (one connection, no races). */
function cachedStatements(db: Database.Database): SqliteDialectConfig['database'] {
  const cache = new Map<string, Database.Statement>();
  return {
    close: () => db.close(),
    prepare(text: string) {
      let statement = cache.get(text);
      if (statement === undefined) {
        statement = db.prepare(text);
        if (cache.size >= STATEMENT_CACHE) cache.clear();
        cache.set(text, statement);
      }
      return statement;
    },
  };
}

export type SqliteDbOptions = OpenOptions;

/** The handle and the raw connection (for what must stay synchronous: crash tests, legacy feature stores). */
export interface SqliteStoreDb extends StoreDb<CoreTables> {
  readonly database: Database.Database;
  readonly file: string;
}

/** Opens and vets the file; migrations are the caller's (openSqliteStore runs the core's). */
export function openSqliteDb(file: string, options: SqliteDbOptions = {}): SqliteStoreDb {
  const logger = options.logger ?? silentLogger;
  const database = openSqliteDatabase(file, { logger, busyTimeoutMs: options.busyTimeoutMs });
  const kysely = new Kysely<CoreTables>({
    dialect: new StoreSqliteDialect({ database: cachedStatements(database) }),
  });
  const base = storeDb({
    kysely,
    dialect: sqliteDialect,
    label: file,
    logger,
    mapError: (error) => mapSqliteError(error, file, database),
    close: async () => {
      if (database.open) await kysely.destroy();
    },
  });
  return { ...base, database, file };
}
