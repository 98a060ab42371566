import type Database from 'better-sqlite3';
import type { Logger } from '../../bot/ports.js';
import { SchemaTooNewError } from './errors.js';

// The schema's history. To change it, APPEND a step with the next number; never edit or reorder a step
// that has shipped, because databases in the field already ran it. Each step runs in its own transaction
// together with the PRAGMA user_version bump, so a failing step leaves the previous version intact.
// (PRAGMA foreign_keys cannot change inside a transaction: a step that rebuilds a table must not rely on it.)

export interface Migration {
  /** 1, 2, 3… in order; becomes PRAGMA user_version once applied. */
  readonly version: number;
  readonly description: string;
  /** SQL run with exec(), or a function for steps that must transform data row by row. */
  readonly up: string | ((db: Database.Database) => void);
}

/** Marks the file as ours (PRAGMA application_id, "DEEX") so a foreign SQLite file is never migrated. */
export const APPLICATION_ID = 0x44454558;

/** Every schema step the bot knows, oldest first. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'incidents, poll cursors, channel bindings, idempotency claims',
    up: `
      -- One row per (customer, Graph incident id): Graph ids are per tenant and can collide across customers.
      -- The indexed columns serve listIncidents/countByView; body is the whole Incident as canonical JSON.
      CREATE TABLE incidents (
        customer_id     TEXT    NOT NULL,
        id              TEXT    NOT NULL,
        status          TEXT    NOT NULL,  -- tolerantToString(status)
        status_known    INTEGER NOT NULL CHECK (status_known IN (0, 1)),
        severity        TEXT    NOT NULL,  -- tolerantToString(severity)
        severity_known  INTEGER NOT NULL CHECK (severity_known IN (0, 1)),
        assignee_kind   TEXT    NOT NULL CHECK (assignee_kind IN ('experts', 'customer', 'unassigned', 'person')),
        last_update_key TEXT    NOT NULL,  -- instantKey(lastUpdateDateTime): sorts as the instant
        body            TEXT    NOT NULL,
        PRIMARY KEY (customer_id, id)
      ) STRICT;
      CREATE INDEX incidents_newest ON incidents (customer_id, last_update_key DESC, length(id) DESC, id DESC);
      CREATE INDEX incidents_status ON incidents (customer_id, status_known, status, assignee_kind);

      CREATE TABLE cursors (
        customer_id TEXT NOT NULL PRIMARY KEY,
        cursor      TEXT NOT NULL
      ) STRICT;

      CREATE TABLE bindings (
        customer_id     TEXT    NOT NULL,
        conversation_id TEXT    NOT NULL,
        id              TEXT    NOT NULL,
        conversation    TEXT    NOT NULL,  -- ConversationRef as JSON
        events          TEXT    NOT NULL,  -- string[] as JSON
        on_call         TEXT,
        created_by      TEXT    NOT NULL,
        created_at      TEXT    NOT NULL,
        paused          INTEGER NOT NULL CHECK (paused IN (0, 1)),
        PRIMARY KEY (customer_id, conversation_id)
      ) STRICT;

      CREATE TABLE claims (
        key        TEXT    NOT NULL PRIMARY KEY,
        expires_at INTEGER NOT NULL  -- epoch milliseconds
      ) STRICT;
      CREATE INDEX claims_expiry ON claims (expires_at);
    `,
  },
  {
    version: 2,
    description: 'alert outbox, one post per (binding, incident), platform installations',
    up: `
      -- Binding ids are referenced by the outbox; they must be unique on their own.
      CREATE UNIQUE INDEX bindings_by_id ON bindings (id);

      -- The durable outbox: written in the same transaction as the incident version that caused it.
      -- (binding, incident, kind, version) is the de-duplication key.
      CREATE TABLE outbox (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        binding_id  TEXT    NOT NULL,
        customer_id TEXT    NOT NULL,
        incident_id TEXT    NOT NULL,
        kind        TEXT    NOT NULL,
        version     TEXT    NOT NULL,
        payload     TEXT    NOT NULL,
        state       TEXT    NOT NULL CHECK (state IN ('pending', 'done', 'abandoned')),
        attempts    INTEGER NOT NULL DEFAULT 0,
        not_before  INTEGER NOT NULL,           -- epoch ms
        scheduled   INTEGER NOT NULL DEFAULT 0 CHECK (scheduled IN (0, 1)), -- reminders: never block the lane
        lease_until INTEGER NOT NULL DEFAULT 0, -- epoch ms; a crashed dispatcher's lease simply expires
        last_error  TEXT,
        created_at  TEXT    NOT NULL,
        done_at     TEXT,
        UNIQUE (binding_id, incident_id, kind, version)
      ) STRICT;
      CREATE INDEX outbox_due ON outbox (not_before, id) WHERE state = 'pending';
      CREATE INDEX outbox_lane ON outbox (binding_id, incident_id, id) WHERE state = 'pending';

      CREATE TABLE incident_posts (
        binding_id  TEXT NOT NULL,
        customer_id TEXT NOT NULL,
        incident_id TEXT NOT NULL,
        message_id  TEXT NOT NULL,
        posted_at   TEXT NOT NULL,
        PRIMARY KEY (binding_id, incident_id)
      ) STRICT;

      CREATE TABLE installations (
        platform   TEXT NOT NULL,
        key        TEXT NOT NULL,
        body       TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (platform, key)
      ) STRICT;
    `,
  },
  {
    version: 3,
    description: 'schema versions of feature modules (questions, guided response, SDM…)',
    up: `
      -- Features own their tables and number their steps on their own (see module-migrations.ts), so two
      -- features built side by side never fight over the next core version number.
      CREATE TABLE schema_modules (
        module     TEXT    NOT NULL PRIMARY KEY,
        version    INTEGER NOT NULL,
        updated_at TEXT    NOT NULL
      ) STRICT;
    `,
  },
];

/** Catches a mis-numbered append at start-up rather than after half a migration. */
export function assertMigrationsOrdered(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new Error(`migration #${i + 1} is numbered ${m.version}: versions must be 1, 2, 3… in order`);
    }
  });
}

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Refuses a file written by newer code before anything is written to it. */
export function assertNotNewer(
  db: Database.Database,
  file: string,
  migrations: readonly Migration[] = MIGRATIONS,
): void {
  const found = schemaVersion(db);
  if (found > migrations.length) throw new SchemaTooNewError(file, found, migrations.length);
}

/**
 * Applies the pending steps, each in its own IMMEDIATE transaction with its user_version bump (and, for
 * the first, the application id). Idempotent: a database at the latest version is left untouched.
 */
export function migrate(
  db: Database.Database,
  file: string,
  logger: Logger,
  migrations: readonly Migration[] = MIGRATIONS,
): { from: number; to: number } {
  assertMigrationsOrdered(migrations);
  assertNotNewer(db, file, migrations);
  const from = schemaVersion(db);
  for (const step of migrations.slice(from)) {
    const apply = db.transaction(() => {
      // Re-read inside the write lock: another process may have migrated meanwhile.
      if (schemaVersion(db) >= step.version) return;
      if (step.version === 1) db.pragma(`application_id = ${APPLICATION_ID}`);
      if (typeof step.up === 'string') db.exec(step.up);
      else step.up(db);
      db.pragma(`user_version = ${step.version}`);
    });
    apply.immediate();
    logger.info({ file, version: step.version }, `store schema migrated: ${step.description}`);
  }
  return { from, to: schemaVersion(db) };
}
