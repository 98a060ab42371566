import pg from 'pg';
import { BotError } from '../../bot/errors.js';

// One connection pool per store. The schema (tests give each file its own) is fixed per connection through
// search_path, and a connection idle inside a transaction is cut off by the server, so a paused process
// (SIGSTOP) cannot hold row locks — the poller fence row above all — for longer than that.

export interface PoolOptions {
  readonly connectionString: string;
  /** Schema for every table (created if missing); default: the connection's own search_path. */
  readonly schema?: string;
  readonly max?: number;
  /** Server-side limit on "idle in transaction"; also bounds how long a stalled process holds locks. */
  readonly idleInTransactionMs?: number;
  /** Server-side limit on one statement (lock waits included); the client gives up a little later. */
  readonly statementTimeoutMs?: number;
  /** Names our sessions in pg_stat_activity (operators, and tests counting leaked sessions). */
  readonly applicationName?: string;
}

/** The application_name of our sessions unless a caller names them otherwise. */
export const APPLICATION_NAME = 'defender-experts-bot';
/** Default server-side statement limit: generous for migrations, finite for a wedged lock wait. */
export const STATEMENT_TIMEOUT_MS = 30_000;
/** The oldest server we run on: idle_session_timeout (the paused-leader cut-off) arrived in 14. */
export const MIN_SERVER_VERSION_NUM = 140_000;

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Quotes a schema name after checking it is a plain identifier (we build SQL with it). */
export function quoteSchema(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) {
    throw new BotError('bad_input', `schema name "${schema}" must be lower-case letters, digits and _`);
  }
  return `"${schema}"`;
}

/** Settings every connection of ours gets: the schema and the server-side timeouts. */
export function connectionConfig(options: PoolOptions): pg.ClientConfig {
  return {
    connectionString: options.connectionString,
    idle_in_transaction_session_timeout: options.idleInTransactionMs ?? 10_000,
    statement_timeout: options.statementTimeoutMs ?? STATEMENT_TIMEOUT_MS,
    // A server or network that vanishes without a FIN/RST must not leave a query waiting forever.
    query_timeout: (options.statementTimeoutMs ?? STATEMENT_TIMEOUT_MS) + 5_000,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    application_name: (options.applicationName ?? APPLICATION_NAME).slice(0, 63),
    connectionTimeoutMillis: 10_000,
    ...(options.schema === undefined ? {} : { options: `-c search_path=${quoteSchema(options.schema)}` }),
  };
}

/** The pool; errors of idle clients (server restart, network) are logged by the caller, not thrown. */
export function createPool(options: PoolOptions, onIdleError: (error: Error) => void): pg.Pool {
  const pool = new pg.Pool({ ...connectionConfig(options), max: options.max ?? 10 });
  pool.on('error', onIdleError);
  return pool;
}

/** Refuses a server older than PostgreSQL 14, in one line saying what is wrong and what to do. */
export function assertServerVersion(versionNum: unknown, target: string): void {
  const n = Number(versionNum);
  if (Number.isFinite(n) && n >= MIN_SERVER_VERSION_NUM) return;
  const major = !Number.isFinite(n)
    ? String(versionNum)
    : n >= 100_000
      ? String(Math.floor(n / 10_000))
      : `${Math.floor(n / 10_000)}.${Math.floor(n / 100) % 100}`;
  throw new BotError(
    'store_unavailable',
    `PostgreSQL at ${target} is version ${major}, but PostgreSQL 14 or newer is required (idle_session_timeout): upgrade the server, or unset DATABASE_URL to run one instance on the embedded SQLite store`,
  );
}
