import type pg from 'pg';
import type { Logger } from '../../bot/ports.js';
import { SchemaTooNewError } from '../store/errors.js';
import { checkout } from './tx.js';

// The old runner of feature modules' steps on PostgreSQL (schema_modules), kept only for the feature stores
// not yet on the shared handle (adapters/store); the core and ported features use adapters/store/migrator.ts.
// Every step runs in its own transaction with its version row, under a transaction-level advisory lock on
// the schema, so several instances starting at once migrate exactly once.

export interface PgMigration {
  /** 1, 2, 3… in order; never edit or reorder a step that has shipped (append a new one). */
  readonly version: number;
  readonly description: string;
  /** SQL (may hold several statements), or a function for steps that transform rows. */
  readonly up: string | ((client: pg.PoolClient) => Promise<void>);
}

export interface PgSchemaModule {
  /** Stable name, e.g. 'questions'; never rename a module that has shipped. */
  readonly module: string;
  readonly migrations: readonly PgMigration[];
}

/** First key of our advisory locks: "DEEX", so ours never collide with another application's. */
export const LOCK_NAMESPACE = 0x44454558;
/** Second-key namespaces (hashed with the schema): migrations, per-customer saves, poller leadership. */
export const LOCK_KIND = { migrate: 'migrate', save: 'save', poller: 'poller' } as const;

const MODULE_NAME = /^[a-z][a-z0-9_]{0,39}$/;

function assertOrdered(migrations: readonly PgMigration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new Error(`migration #${i + 1} is numbered ${m.version}: versions must be 1, 2, 3… in order`);
    }
  });
}

async function lockSchema(client: pg.PoolClient): Promise<void> {
  await client.query(
    `SELECT pg_advisory_xact_lock($1, hashtext(current_schema() || ':${LOCK_KIND.migrate}'))`,
    [LOCK_NAMESPACE],
  );
}

async function ensureBookkeeping(client: pg.PoolClient): Promise<void> {
  await client.query('BEGIN');
  try {
    await lockSchema(client);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version    integer PRIMARY KEY,
        description text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now())`);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_modules (
        module     text PRIMARY KEY,
        version    integer NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now())`);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

type VersionOf = (client: pg.PoolClient) => Promise<number>;

async function applySteps(
  client: pg.PoolClient,
  label: string,
  steps: readonly PgMigration[],
  versionOf: VersionOf,
  record: (client: pg.PoolClient, step: PgMigration) => Promise<void>,
  logger: Logger,
): Promise<{ from: number; to: number }> {
  assertOrdered(steps);
  const from = await versionOf(client);
  if (from > steps.length) throw new SchemaTooNewError(label, from, steps.length);
  for (const step of steps.slice(from)) {
    await client.query('BEGIN');
    try {
      await lockSchema(client);
      // Re-read under the lock: another instance may have applied it meanwhile.
      if ((await versionOf(client)) < step.version) {
        if (typeof step.up === 'string') await client.query(step.up);
        else await step.up(client);
        await record(client, step);
        logger.info({ schema: label, version: step.version }, `store schema migrated: ${step.description}`);
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }
  return { from, to: await versionOf(client) };
}

/** A feature module's own steps (questions, audit, check-ins…), versioned apart from the core. */
export async function migratePgModule(
  pool: pg.Pool,
  label: string,
  logger: Logger,
  schema: PgSchemaModule,
): Promise<{ from: number; to: number }> {
  if (!MODULE_NAME.test(schema.module)) throw new Error(`invalid schema module name "${schema.module}"`);
  const { client, done } = await checkout(pool);
  try {
    await ensureBookkeeping(client);
    const versionOf: VersionOf = async (c) =>
      Number(
        (await c.query('SELECT version FROM schema_modules WHERE module = $1', [schema.module])).rows[0]
          ?.version ?? 0,
      );
    return await applySteps(
      client,
      `${label} (module ${schema.module})`,
      schema.migrations,
      versionOf,
      async (c, step) =>
        void (await c.query(
          `INSERT INTO schema_modules (module, version, updated_at) VALUES ($1, $2, now())
             ON CONFLICT (module) DO UPDATE SET version = excluded.version, updated_at = excluded.updated_at`,
          [schema.module, step.version],
        )),
      logger,
    );
  } finally {
    done();
  }
}
