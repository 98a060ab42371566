import { type Kysely, sql } from 'kysely';
import type { Logger } from '../../bot/ports.js';
import type { AnyTable } from './declare.js';
import type { Dialect } from './dialect.js';
import { SchemaTooNewError } from './errors.js';
import { fenceLegacy, legacyVersion, lockMigrations } from './legacy.js';
import { reconcile, relationExists } from './reconcile.js';

// On open, each feature's tables are brought to their declaration (declare.ts), in one transaction under the
// migration lock: missing tables, columns and indexes are created, and on PostgreSQL the old text and
// smallint columns become jsonb, timestamptz and boolean in place. That is idempotent, so it needs no
// history. A new column is therefore nullable or has a default; anything that moves data is a named step.
//
// The names of the feature's past steps are recorded in kysely_migration_<feature> on every database, so
// builds that still count steps open it; named steps that move data run after the declaration, each once,
// recorded there too (the table Kysely's Migrator keeps, so the builds that used it read it). A database with
// a name this build does not know was written by a newer build: it is refused before anything is written.

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

/** Names recorded for the feature, or [] when its table does not exist yet. */
export async function appliedNames(
  db: Kysely<unknown>,
  dialect: Dialect,
  feature: string,
): Promise<string[]> {
  if (!(await relationExists(db, dialect.name, migrationTable(feature)))) return [];
  const r = await sql<{ name: string }>`SELECT name FROM ${sql.table(migrationTable(feature))}`.execute(db);
  return r.rows.map((row) => row.name);
}

/**
 * Records the past steps' names as applied, in the tables Kysely's Migrator keeps, made as it makes them
 * (so it finds them and, with no named step pending, need not run: its look for them spans every schema).
 */
async function recordPastSteps(db: Kysely<unknown>, schema: FeatureSchema, fresh: boolean): Promise<void> {
  const table = sql.table(migrationTable(schema.feature));
  await sql`CREATE TABLE IF NOT EXISTS ${table} (
      name varchar(255) NOT NULL PRIMARY KEY, timestamp varchar(255) NOT NULL)`.execute(db);
  await sql`CREATE TABLE IF NOT EXISTS ${sql.table(MIGRATION_LOCK_TABLE)} (
      id varchar(255) NOT NULL PRIMARY KEY, is_locked integer NOT NULL DEFAULT 0)`.execute(db);
  await sql`INSERT INTO ${sql.table(MIGRATION_LOCK_TABLE)} (id, is_locked) VALUES ('migration_lock', 0)
      ON CONFLICT DO NOTHING`.execute(db);
  const now = new Date().toISOString();
  for (const { name } of schema.migrations.filter((m) => fresh || m.up === undefined)) {
    await sql`INSERT INTO ${table} (name, timestamp) VALUES (${name}, ${now})
        ON CONFLICT DO NOTHING`.execute(db);
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
  const { applied, fresh } = await db.transaction().execute(async (trx) => {
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
    // A database without any of the feature's tables has no data to move: its named steps are recorded as
    // done along with the past ones.
    const { statements, fresh } = await reconcile(trx, dialect.name, schema.tables);
    for (const statement of statements) {
      context.logger.info(
        { store: context.label, feature: schema.feature, statement },
        'store schema reconciled',
      );
    }
    await recordPastSteps(trx, schema, fresh);
    if (schema.feature === 'core') await fenceLegacy(trx, dialect);
    return { applied, fresh };
  });
  const pending = schema.migrations.filter((m) => !fresh && m.up !== undefined && !applied.includes(m.name));
  if (pending.length > 0) await runNamedSteps(db, dialect, schema, context);
  return { from: applied.length, to: (await appliedNames(db, dialect, schema.feature)).length };
}

/**
 * Runs the pending named steps in order, each in its own transaction under the migration lock and recorded in
 * the same bookkeeping table Kysely's Migrator keeps. (Not through the Migrator itself: its look for its tables
 * spans every schema of the server, and fails when another schema is dropped meanwhile.)
 */
async function runNamedSteps(
  db: Kysely<unknown>,
  dialect: Dialect,
  schema: FeatureSchema,
  context: { readonly label: string; readonly logger: Logger },
): Promise<void> {
  for (const step of schema.migrations) {
    const up = step.up;
    if (up === undefined) continue;
    const ran = await db.transaction().execute(async (trx) => {
      await lockMigrations(trx, dialect);
      if ((await appliedNames(trx, dialect, schema.feature)).includes(step.name)) return false;
      await up(trx, dialect);
      await sql`INSERT INTO ${sql.table(migrationTable(schema.feature))} (name, timestamp)
          VALUES (${step.name}, ${new Date().toISOString()})`.execute(trx);
      return true;
    });
    if (ran) {
      context.logger.info(
        { store: context.label, feature: schema.feature, step: step.name },
        'store schema migrated',
      );
    }
  }
}
