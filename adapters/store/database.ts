import type { Kysely } from 'kysely';
import type { Logger } from '../../bot/ports.js';
import type { CoreTables } from './core/core-schema.js';
import type { Dialect } from './dialect.js';
import { type FeatureSchema, migrateFeature } from './migrator.js';

// The handle every feature store is built on: one Kysely instance over the store's database (SQLite's one
// connection or PostgreSQL's pool), the dialect codecs, a write transaction and the one error mapping.

export interface StoreDb<DB = CoreTables> {
  readonly kysely: Kysely<DB>;
  readonly dialect: Dialect;
  /** Names the database in messages (file path, or host:port/database and schema; never credentials). */
  readonly label: string;
  readonly logger: Logger;
  /**
   * Runs `work` in one write transaction and maps driver errors. SQLite: BEGIN IMMEDIATE on the one
   * connection (other work waits for it); PostgreSQL: a pooled connection. Use only `trx` inside.
   */
  tx<T>(work: (trx: Kysely<DB>) => Promise<T>): Promise<T>;
  /** Runs `work` (single statements on `kysely`) with driver errors mapped to the bot's vocabulary. */
  run<T>(work: () => Promise<T>): Promise<T>;
  /** Applies a feature's pending migrations (adopting a database of the old runners first). */
  migrate(schema: FeatureSchema): Promise<{ from: number; to: number }>;
  /** The same handle typed with a feature's own tables. */
  withTables<T extends Record<string, Record<string, unknown>>>(): StoreDb<DB & T>;
  close(): Promise<void>;
}

export type StoreDbParts<DB> = Pick<StoreDb<DB>, 'kysely' | 'dialect' | 'label' | 'logger' | 'close'> & {
  readonly mapError: (error: unknown) => unknown;
};

/** Assembles the handle from what the dialect's opener made (sqlite.ts, postgres.ts). */
export function storeDb<DB>(parts: StoreDbParts<DB>): StoreDb<DB> {
  const { kysely, dialect, label, logger } = parts;
  const run = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw parts.mapError(error);
    }
  };
  return {
    kysely,
    dialect,
    label,
    logger,
    run,
    tx: (work) => run(() => kysely.transaction().execute(work)),
    migrate: (schema) =>
      run(() => migrateFeature(kysely as Kysely<unknown>, dialect, schema, { label, logger })),
    withTables: <T extends Record<string, Record<string, unknown>>>() =>
      storeDb({ ...parts, kysely: kysely.withTables<T>() }) as unknown as StoreDb<DB & T>,
    close: () => parts.close(),
  };
}

/** Rows or ids in slices a statement can bind: well under either database's limit on bound parameters. */
export function chunks<T>(items: readonly T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
  return out;
}
