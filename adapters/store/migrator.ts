import { type Kysely, Migrator, sql } from 'kysely';
import type { Logger } from '../../bot/ports.js';
import {
  type AnyTable,
  columnSql,
  conversionSql,
  createIndexSql,
  createTableSql,
  type DialectName,
  pick,
} from './declare.js';
import type { Dialect } from './dialect.js';
import { SchemaTooNewError } from './errors.js';
import { fenceLegacy, legacyVersion, lockMigrations } from './legacy.js';

// On open, each feature's tables are brought to their declaration (declare.ts), in one transaction under the
// migration lock: missing tables, columns and indexes are created, and on PostgreSQL the old text and
// smallint columns become jsonb, timestamptz and boolean in place. That is idempotent, so it needs no
// history. A new column is therefore nullable or has a default; anything that moves data is a named step.
//
// The names of the feature's past steps are recorded in kysely_migration_<feature> on every database, so
// builds that still count steps open it; named steps that move data run after the declaration, through
// Kysely's Migrator, which records them there too. A database with a name this build does not know was
// written by a newer build: it is refused before anything is written.

export interface StoreMigration {
  /** "0001-what-it-does": the number orders the feature's steps; the name is recorded once applied. */
  readonly name: string;
  /** What the step does to the data; none for the past steps, whose result is now the declaration. */
  readonly up?: (db: Kysely<unknown>, dialect: Dialect) => Promise<void>;
}

export interface FeatureSchema {
  /** Stable name ("core", "questions"…), the legacy module name for a feature that had one. */
  readonly feature: string;
  readonly tables: Readonly<Record<string, AnyTable>>;
  /** Append-only: never edit, rename or reorder a shipped step. */
  readonly migrations: readonly StoreMigration[];
  /** The old runners' last version on each database: one past it was written by a newer build. */
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
    if (m.up === undefined && schema.migrations.slice(0, i).some((p) => p.up !== undefined)) {
      throw new Error(`${schema.feature} migration "${m.name}" does nothing after a step that moves data`);
    }
  });
}

/** True when a table or index `name` exists in the store's own schema (PostgreSQL: current_schema()). */
export async function relationExists(db: Kysely<unknown>, dialect: Dialect, name: string): Promise<boolean> {
  const r =
    dialect.name === 'postgres'
      ? await sql`SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = current_schema() AND c.relname = ${name}`.execute(db)
      : await sql`SELECT 1 FROM sqlite_master WHERE name = ${name}`.execute(db);
  return r.rows.length > 0;
}

/** Names recorded for the feature, or [] when its table does not exist yet. */
export async function appliedNames(
  db: Kysely<unknown>,
  dialect: Dialect,
  feature: string,
): Promise<string[]> {
  if (!(await relationExists(db, dialect, migrationTable(feature)))) return [];
  const r = await sql<{ name: string }>`SELECT name FROM ${sql.table(migrationTable(feature))}`.execute(db);
  return r.rows.map((row) => row.name);
}

/** Each existing column's type (PostgreSQL: information_schema's data_type); empty when there is no table. */
async function columnTypes(
  db: Kysely<unknown>,
  dialect: DialectName,
  table: string,
): Promise<Map<string, string>> {
  const r =
    dialect === 'postgres'
      ? await sql<{ name: string; type: string }>`SELECT column_name AS name, data_type AS type
          FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ${table}`.execute(
          db,
        )
      : await sql<{ name: string; type: string }>`SELECT name, type FROM pragma_table_info(${table})`.execute(
          db,
        );
  return new Map(r.rows.map((c) => [c.name, c.type]));
}

/** Brings the tables to their declaration; returns the statements it ran (none when they were there). */
async function reconcile(
  db: Kysely<unknown>,
  dialect: Dialect,
  tables: FeatureSchema['tables'],
): Promise<string[]> {
  const ran: string[] = [];
  const run = async (statement: string): Promise<void> => {
    await sql.raw(statement).execute(db);
    ran.push(statement);
  };
  for (const [name, t] of Object.entries(tables)) {
    if ((t.only ?? dialect.name) !== dialect.name) continue;
    const existing = await columnTypes(db, dialect.name, name);
    if (existing.size === 0) await run(createTableSql(name, t, dialect.name));
    const conversions: string[] = [];
    for (const [column, { spec }] of Object.entries(t.columns)) {
      const type = existing.get(column);
      if (existing.size > 0 && type === undefined) {
        await run(`ALTER TABLE ${name} ADD COLUMN ${columnSql(column, spec, dialect.name)}`);
      } else if (type !== undefined && dialect.name === 'postgres') {
        const conversion = conversionSql(column, spec, type);
        if (conversion !== undefined) conversions.push(conversion);
      }
    }
    if (conversions.length > 0) await run(`ALTER TABLE ${name} ${conversions.join(', ')}`);
    for (const [index, declared] of Object.entries(t.indexes ?? {})) {
      const spec = pick(declared, dialect.name);
      if (spec !== undefined && !(await relationExists(db, dialect, index))) {
        await run(createIndexSql(name, index, spec));
      }
    }
  }
  return ran;
}

/** Records the past steps' names as applied, in the table Kysely's Migrator keeps (and makes the same way). */
async function recordPastSteps(db: Kysely<unknown>, schema: FeatureSchema): Promise<void> {
  const table = sql.table(migrationTable(schema.feature));
  await sql`CREATE TABLE IF NOT EXISTS ${table} (
      name varchar(255) NOT NULL PRIMARY KEY, timestamp varchar(255) NOT NULL)`.execute(db);
  const now = new Date().toISOString();
  for (const { name } of schema.migrations.filter((m) => m.up === undefined)) {
    await sql`INSERT INTO ${table} (name, timestamp) VALUES (${name}, ${now}) ON CONFLICT DO NOTHING`.execute(
      db,
    );
  }
}

/**
 * Brings one feature's tables to their declaration and runs its pending named steps. Refuses a database
 * written by a newer build (SchemaTooNewError) before anything is written.
 */
export async function migrateFeature(
  db: Kysely<unknown>,
  dialect: Dialect,
  schema: FeatureSchema,
  context: { readonly label: string; readonly logger: Logger },
): Promise<{ from: number; to: number }> {
  assertWellFormed(schema);
  const where = { store: context.label, feature: schema.feature };
  const from = await db.transaction().execute(async (trx) => {
    await lockMigrations(trx, dialect);
    const applied = await appliedNames(trx, dialect, schema.feature);
    const known = new Set(schema.migrations.map((m) => m.name));
    const label = `${context.label} (${schema.feature})`;
    if (applied.some((n) => !known.has(n))) {
      throw new SchemaTooNewError(label, applied.length, schema.migrations.length);
    }
    const version = applied.length === 0 ? await legacyVersion(trx, dialect, schema.feature) : 0;
    const baseline = schema.legacy[dialect.name];
    if (version > baseline) throw new SchemaTooNewError(label, version, baseline);
    for (const statement of await reconcile(trx, dialect, schema.tables)) {
      context.logger.info({ ...where, statement }, 'store schema reconciled');
    }
    await recordPastSteps(trx, schema);
    if (schema.feature === 'core') await fenceLegacy(trx, dialect);
    return applied.length;
  });
  // Kysely looks for its tables in every schema unless told which: name ours (tests share one database).
  const own =
    dialect.name === 'postgres'
      ? (await sql<{ s: string }>`SELECT current_schema() AS s`.execute(db)).rows[0]?.s
      : undefined;
  const steps = Object.fromEntries(
    schema.migrations.map((m) => [m.name, { up: async (trx: Kysely<unknown>) => m.up?.(trx, dialect) }]),
  );
  const { error, results } = await new Migrator({
    db,
    ...(own === undefined ? {} : { migrationTableSchema: own }),
    provider: { getMigrations: async () => steps },
    migrationTableName: migrationTable(schema.feature),
    migrationLockTableName: MIGRATION_LOCK_TABLE,
  }).migrateToLatest();
  for (const r of results ?? []) {
    if (r.status === 'Success')
      context.logger.info({ ...where, step: r.migrationName }, 'store schema migrated');
  }
  if (error !== undefined) throw error;
  return { from, to: (await appliedNames(db, dialect, schema.feature)).length };
}
