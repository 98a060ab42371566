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
}

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

/** int8 and count(*) come back as text from pg: numbers here are always small enough for a double. */
export const toNumber = (value: unknown): number => (typeof value === 'number' ? value : Number(value));
