import { BotError } from '../../bot/errors.js';
import { mapPgError } from '../store/errors.js';
import type { PostgresStore } from './postgres-store.js';

// What a feature store (guided response, relay, questions, SDM) borrows from the PostgreSQL Store: its pool,
// its module migrations and its name for messages — the twin of SqliteStore's `.database`/`.file`/`.logger`.

/** The slice of PostgresStore a feature store needs; every instance shares the pool's database. */
export type PgFeatureHost = Pick<
  PostgresStore,
  'pool' | 'target' | 'logger' | 'migrateModule' | 'instanceId'
>;

/** A transaction-level advisory lock on one key of one feature (hashed with the schema, like the core's). */
export const FEATURE_LOCK_SQL = `SELECT pg_advisory_xact_lock($1, hashtext(current_schema() || ':' || $2))`;

/** The driver's SQLSTATE, when the error carries one. */
const sqlState = (error: unknown): string =>
  typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string'
    ? (error as { code: string }).code
    : '';

/**
 * Wraps each operation so driver failures reach callers mapped once: a broken constraint (a duplicate id)
 * is the caller's conflict, everything else store_unavailable naming the server (errors.ts).
 */
export function pgGuard(target: string): <T>(work: () => Promise<T>) => Promise<T> {
  return async (work) => {
    try {
      return await work();
    } catch (error) {
      if (sqlState(error).startsWith('23')) {
        const message = error instanceof Error ? error.message : String(error);
        throw new BotError('conflict', `PostgreSQL at ${target}: ${message}`, { cause: error });
      }
      throw mapPgError(error, target);
    }
  };
}
