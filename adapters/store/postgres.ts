import { Kysely, PostgresDialect, type PostgresPool, type PostgresPoolClient, sql } from 'kysely';
import type pg from 'pg';
import type { Logger } from '../../bot/ports.js';
import { assertServerVersion, createPool, type PoolOptions, quoteSchema } from '../postgres/pool.js';
import { silentLogger } from '../sqlite/open.js';
import type { CoreTables } from './core/core-schema.js';
import { type StoreDb, storeDb } from './database.js';
import { postgresDialect } from './dialect.js';
import { describeTarget, mapPgError } from './errors.js';

// The PostgreSQL side of the foundation: the pool of postgres/pool.ts (schema on every connection, server
// timeouts) wrapped in Kysely's stock dialect. (The migration lock is legacy.ts's lockMigrations.)

/**
 * The pool as Kysely sees it. A client checked out (a transaction) has no error listener of the pool's: if
 * the server ends its session meanwhile (the idle-in-transaction timeout after a SIGSTOP, a restart), its
 * 'error' event would crash the process. Each checkout listens until release, and a client that failed
 * is destroyed, never reused.
 */
function guardedPool(pool: pg.Pool): PostgresPool {
  return {
    async connect(): Promise<PostgresPoolClient> {
      const client = await pool.connect();
      let failed: Error | undefined;
      const onError = (error: Error): void => {
        failed = error; // the pending query rejects with it too; the caller handles that one
      };
      client.on('error', onError);
      return {
        query: client.query.bind(client) as PostgresPoolClient['query'],
        release(destroy?: boolean) {
          client.removeListener('error', onError);
          client.release(destroy === true ? true : failed);
        },
      };
    },
    end: () => pool.end(),
  };
}

export interface PostgresDbOptions
  extends Pick<PoolOptions, 'connectionString' | 'schema' | 'idleInTransactionMs'> {
  readonly logger?: Logger;
  readonly poolSize?: number;
}

/** The handle plus the pool (for the PostgreSQL-only modules: instances, leadership, lanes). */
export interface PostgresStoreDb extends StoreDb<CoreTables> {
  readonly pool: pg.Pool;
  /** host:port/database, for messages. */
  readonly target: string;
}

/** Connects, checks the server version and creates the schema; migrations are the caller's. */
export async function openPostgresDb(options: PostgresDbOptions): Promise<PostgresStoreDb> {
  const logger = options.logger ?? silentLogger;
  const target = describeTarget(options.connectionString);
  const label = options.schema === undefined ? target : `${target} schema ${options.schema}`;
  const { connectionString, schema, idleInTransactionMs } = options;
  const pool = createPool({ connectionString, schema, idleInTransactionMs, max: options.poolSize }, (error) =>
    logger.warn({ target, err: error.message }, 'idle PostgreSQL connection failed'),
  );
  const kysely = new Kysely<CoreTables>({
    dialect: new PostgresDialect({ pool: guardedPool(pool) }),
  });
  const mapError = (error: unknown) => mapPgError(error, target);
  try {
    const version = sql<{ v: string }>`SELECT current_setting('server_version_num') AS v`;
    assertServerVersion((await version.execute(kysely)).rows[0]?.v, target);
    if (options.schema !== undefined) {
      await sql.raw(`CREATE SCHEMA IF NOT EXISTS ${quoteSchema(options.schema)}`).execute(kysely);
    }
  } catch (error) {
    await kysely.destroy().catch(() => undefined);
    throw mapError(error);
  }
  let closed: Promise<void> | null = null;
  const base = storeDb({
    kysely,
    dialect: postgresDialect,
    label,
    logger,
    mapError,
    close: () => {
      closed ??= kysely.destroy().catch(() => undefined);
      return closed;
    },
  });
  return { ...base, pool, target };
}
