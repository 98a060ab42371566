import { type Kysely, type Migration, Migrator, sql } from 'kysely';
import type { Logger } from '../../bot/ports.js';
import type { Dialect } from './dialect.js';
import { SchemaTooNewError } from './errors.js';
import { adoptLegacy } from './legacy.js';
import { execSql } from './sql-steps.js';

// One migrator for every feature on both databases: Kysely's Migrator, one bookkeeping table per feature
// (kysely_migration_<feature>), so features land independently and a store opened without some feature
// still opens a database that has it. Steps are append-only: never edit, rename or reorder a shipped one.

/** A step for one dialect: SQL statements (sql-steps.ts) or a function for steps that move data. */
export type Step = string | ((db: Kysely<unknown>, dialect: Dialect) => Promise<void>);

export interface StoreMigration {
  /** "0001-what-it-does": the number orders the feature's steps; the name is recorded once applied. */
  readonly name: string;
  /** The step on each database; a dialect without one records the step and does nothing there. */
  readonly sqlite?: Step;
  readonly postgres?: Step;
}

export interface FeatureSchema {
  /** Stable name ("core", "questions"…), the legacy module name for a feature that had one. */
  readonly feature: string;
  readonly migrations: readonly StoreMigration[];
  /**
   * How many of the first steps are the old runners' steps 1..n on each database (the baseline). A database
   * those runners brought to version v is adopted by recording the first v names, without running them.
   */
  readonly legacy: { readonly sqlite: number; readonly postgres: number };
}

const FEATURE = /^[a-z][a-z0-9_]{0,39}$/;
const NAME = /^\d{4}-[a-z0-9-]+$/;

/** The bookkeeping table of one feature. */
export const migrationTable = (feature: string): string => `kysely_migration_${feature}`;
export const MIGRATION_LOCK_TABLE = 'kysely_migration_lock';

function assertWellFormed(schema: FeatureSchema): void {
  if (!FEATURE.test(schema.feature)) throw new Error(`invalid feature name "${schema.feature}"`);
  schema.migrations.forEach((m, i) => {
    if (!NAME.test(m.name) || Number(m.name.slice(0, 4)) !== i + 1) {
      throw new Error(
        `${schema.feature} migration #${i + 1} is named "${m.name}": use ${String(i + 1).padStart(4, '0')}-…`,
      );
    }
  });
}

function provider(schema: FeatureSchema, dialect: Dialect): Record<string, Migration> {
  return Object.fromEntries(
    schema.migrations.map((m) => {
      const step = m[dialect.name];
      const up = async (db: Kysely<unknown>): Promise<void> => {
        if (typeof step === 'string') await execSql(db, step);
        else if (step !== undefined) await step(db, dialect);
      };
      return [m.name, { up }];
    }),
  );
}

/** True when `table` exists in the store's own schema (PostgreSQL: the search_path's first; SQLite: main). */
export async function tableExists(db: Kysely<unknown>, dialect: Dialect, table: string): Promise<boolean> {
  const r =
    dialect.name === 'postgres'
      ? await sql<{ ok: boolean }>`SELECT to_regclass(${table}) IS NOT NULL AS ok`.execute(db)
      : await sql<{
          ok: number;
        }>`SELECT count(*) AS ok FROM sqlite_master WHERE type = 'table' AND name = ${table}`.execute(db);
  return Boolean(r.rows[0]?.ok);
}

/** Names recorded for the feature, or [] when its table does not exist yet. */
export async function appliedNames(
  db: Kysely<unknown>,
  dialect: Dialect,
  feature: string,
): Promise<string[]> {
  if (!(await tableExists(db, dialect, migrationTable(feature)))) return [];
  const r = await sql<{ name: string }>`SELECT name FROM ${sql.table(migrationTable(feature))}`.execute(db);
  return r.rows.map((row) => row.name);
}

/**
 * Brings one feature's tables up to date: adopts a database of the old runners, refuses one written by a
 * newer build (SchemaTooNewError, before anything is written), then applies the pending steps in one
 * transaction (both databases run DDL transactionally), under a lock so concurrent instances apply each once.
 */
export async function migrateFeature(
  db: Kysely<unknown>,
  dialect: Dialect,
  schema: FeatureSchema,
  context: { readonly label: string; readonly logger: Logger },
): Promise<{ from: number; to: number }> {
  assertWellFormed(schema);
  await adoptLegacy(db, dialect, schema, context.label);
  const known = new Set(schema.migrations.map((m) => m.name));
  const applied = await appliedNames(db, dialect, schema.feature);
  const unknown = applied.filter((n) => !known.has(n));
  if (unknown.length > 0) {
    throw new SchemaTooNewError(
      `${context.label} (${schema.feature})`,
      applied.length,
      schema.migrations.length,
    );
  }
  // Kysely looks for its tables in every schema unless told which: name ours (tests share one database).
  const own =
    dialect.name === 'postgres'
      ? (await sql<{ s: string }>`SELECT current_schema() AS s`.execute(db)).rows[0]?.s
      : undefined;
  const migrator = new Migrator({
    db,
    ...(own === undefined ? {} : { migrationTableSchema: own }),
    provider: { getMigrations: async () => provider(schema, dialect) },
    migrationTableName: migrationTable(schema.feature),
    migrationLockTableName: MIGRATION_LOCK_TABLE,
  });
  const { error, results } = await migrator.migrateToLatest();
  for (const r of results ?? []) {
    if (r.status === 'Success') {
      context.logger.info(
        { store: context.label, feature: schema.feature, step: r.migrationName },
        'store schema migrated',
      );
    }
  }
  if (error !== undefined) throw error;
  return { from: applied.length, to: (await appliedNames(db, dialect, schema.feature)).length };
}
