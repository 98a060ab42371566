import { type Kysely, sql } from 'kysely';
import { APPLICATION_ID } from '../sqlite/open.js';
import type { Dialect } from './dialect.js';
import { relationExists } from './reconcile.js';

// Databases made before the feature migrator kept their versions elsewhere: SQLite's PRAGMA user_version
// (core) and PostgreSQL's schema_migrations (core), and schema_modules on both (features). Such a database is
// adopted like any other (its tables are brought to the declaration, keeping every row), unless its version
// is past what those runners ever wrote. The core's counters are then fenced at LEGACY_FENCE, so a build
// from before the migrator refuses the database instead of re-creating tables.

/** Set in user_version / schema_migrations once the core moved to the migrator: older builds stop there. */
export const LEGACY_FENCE = 100;

/** Takes the schema's migration lock for the rest of the transaction (PostgreSQL; SQLite has one writer). */
export async function lockMigrations(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  if (dialect.name !== 'postgres') return;
  await sql`SELECT pg_advisory_xact_lock(${0x44454558}, hashtext(current_schema() || ':migrate'))`.execute(
    db,
  );
}

/** The version the old runners recorded for the feature (0 when they never ran here). */
export async function legacyVersion(db: Kysely<unknown>, dialect: Dialect, feature: string): Promise<number> {
  if (feature === 'core' && dialect.name === 'sqlite') {
    const r = await sql<{ user_version: number }>`PRAGMA user_version`.execute(db);
    return r.rows[0]?.user_version ?? 0;
  }
  const table = feature === 'core' ? 'schema_migrations' : 'schema_modules';
  if (!(await relationExists(db, dialect.name, table))) return 0;
  const r =
    feature === 'core'
      ? await sql<{ v: number | null }>`SELECT max(version) AS v FROM schema_migrations`.execute(db)
      : await sql<{ v: number }>`SELECT version AS v FROM schema_modules WHERE module = ${feature}`.execute(
          db,
        );
  return Number(r.rows[0]?.v ?? 0);
}

/** Marks the file as ours and fences the old counters; the old bookkeeping tables are kept as they were. */
export async function fenceLegacy(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  if (dialect.name === 'sqlite') {
    await sql.raw(`PRAGMA application_id = ${APPLICATION_ID}`).execute(db);
    await sql.raw(`PRAGMA user_version = ${LEGACY_FENCE}`).execute(db);
    await sql`CREATE TABLE IF NOT EXISTS schema_modules (
        module TEXT NOT NULL PRIMARY KEY, version INTEGER NOT NULL, updated_at TEXT NOT NULL) STRICT`.execute(
      db,
    );
    return;
  }
  await sql`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY, description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`.execute(
    db,
  );
  await sql`CREATE TABLE IF NOT EXISTS schema_modules (
      module text PRIMARY KEY, version integer NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())`.execute(
    db,
  );
  await sql`INSERT INTO schema_migrations (version, description)
      VALUES (${LEGACY_FENCE}, 'later steps are recorded in kysely_migration_core') ON CONFLICT DO NOTHING`.execute(
    db,
  );
}
