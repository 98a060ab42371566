import { type Kysely, sql } from 'kysely';
import type { Dialect } from './dialect.js';
import { SchemaTooNewError } from './errors.js';
import { appliedNames, type FeatureSchema, migrationTable, tableExists } from './migrator.js';

// Databases made before the feature migrator kept their versions elsewhere: SQLite's PRAGMA user_version
// (core) and PostgreSQL's schema_migrations (core), and schema_modules on both (features). Such a database
// is adopted: the first v steps of the feature (its baseline, identical to the old steps) are recorded as
// applied, and only the steps after them run. The legacy counters are then fenced at LEGACY_FENCE so a
// build from before the migrator refuses the database instead of re-creating tables.

/** Set in user_version / schema_migrations once the core moved to the migrator: older builds stop there. */
export const LEGACY_FENCE = 100;

/** Takes the schema's migration lock for the rest of the transaction (PostgreSQL; SQLite has one writer). */
export async function lockMigrations(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  if (dialect.name !== 'postgres') return;
  await sql`SELECT pg_advisory_xact_lock(${0x44454558}, hashtext(current_schema() || ':migrate'))`.execute(
    db,
  );
}

async function legacyVersion(db: Kysely<unknown>, dialect: Dialect, feature: string): Promise<number> {
  if (feature === 'core' && dialect.name === 'sqlite') {
    const r = await sql<{ user_version: number }>`PRAGMA user_version`.execute(db);
    return r.rows[0]?.user_version ?? 0;
  }
  if (feature === 'core') {
    if (!(await tableExists(db, dialect, 'schema_migrations'))) return 0;
    const r = await sql<{ v: number | null }>`SELECT max(version) AS v FROM schema_migrations`.execute(db);
    return Number(r.rows[0]?.v ?? 0);
  }
  if (!(await tableExists(db, dialect, 'schema_modules'))) return 0;
  const r = await sql<{
    version: number;
  }>`SELECT version FROM schema_modules WHERE module = ${feature}`.execute(db);
  return Number(r.rows[0]?.version ?? 0);
}

/** Records the baseline of a database made by the old runners (see above); a no-op for any other. */
export async function adoptLegacy(
  db: Kysely<unknown>,
  dialect: Dialect,
  schema: FeatureSchema,
  label: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await lockMigrations(trx, dialect);
    if ((await appliedNames(trx, dialect, schema.feature)).length > 0) return;
    const version = await legacyVersion(trx, dialect, schema.feature);
    if (version === 0) return;
    const baseline = schema.legacy[dialect.name];
    if (version > baseline) throw new SchemaTooNewError(`${label} (${schema.feature})`, version, baseline);
    await sql`CREATE TABLE IF NOT EXISTS ${sql.table(migrationTable(schema.feature))} (
        name varchar(255) NOT NULL PRIMARY KEY, timestamp varchar(255) NOT NULL)`.execute(trx);
    const now = new Date().toISOString();
    for (const step of schema.migrations.slice(0, version)) {
      await sql`INSERT INTO ${sql.table(migrationTable(schema.feature))} (name, timestamp)
          VALUES (${step.name}, ${now}) ON CONFLICT DO NOTHING`.execute(trx);
    }
  });
}
