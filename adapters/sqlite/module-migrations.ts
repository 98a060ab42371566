import type Database from 'better-sqlite3';
import type { Logger } from '../../bot/ports.js';
import { SchemaTooNewError } from '../store/errors.js';
import { assertMigrationsOrdered, type Migration } from './migrations.js';

// A feature's own schema (questions, guided-response audit, check-ins…): its steps are numbered 1, 2, 3… in
// the feature's own sequence and recorded in schema_modules, so features land independently of each other
// and of the core steps. Same rules as the core: append only, one transaction per step with its version bump.

export interface SchemaModule {
  /** Stable name, e.g. 'questions'. Never rename a module that has shipped. */
  readonly module: string;
  readonly migrations: readonly Migration[];
}

const MODULE_NAME = /^[a-z][a-z0-9_]{0,39}$/;

function moduleVersion(db: Database.Database, module: string): number {
  const row = db.prepare<[string], { version: number }>(
    'SELECT version FROM schema_modules WHERE module = ?',
  );
  return row.get(module)?.version ?? 0;
}

/**
 * Brings one feature module's tables up to date on an open, core-migrated database. A module version newer
 * than this build knows is refused before anything is written (SchemaTooNewError).
 */
export function migrateModule(
  db: Database.Database,
  file: string,
  logger: Logger,
  schema: SchemaModule,
): { from: number; to: number } {
  if (!MODULE_NAME.test(schema.module)) throw new Error(`invalid schema module name "${schema.module}"`);
  assertMigrationsOrdered(schema.migrations);
  const from = moduleVersion(db, schema.module);
  if (from > schema.migrations.length) {
    throw new SchemaTooNewError(`${file} (module ${schema.module})`, from, schema.migrations.length);
  }
  const record = db.prepare(
    `INSERT INTO schema_modules (module, version, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (module) DO UPDATE SET version = excluded.version, updated_at = excluded.updated_at`,
  );
  for (const step of schema.migrations.slice(from)) {
    const apply = db.transaction(() => {
      if (moduleVersion(db, schema.module) >= step.version) return;
      if (typeof step.up === 'string') db.exec(step.up);
      else step.up(db);
      record.run(schema.module, step.version, new Date().toISOString());
    });
    apply.immediate();
    logger.info(
      { file, module: schema.module, version: step.version },
      `store schema migrated: ${schema.module}: ${step.description}`,
    );
  }
  return { from, to: moduleVersion(db, schema.module) };
}
