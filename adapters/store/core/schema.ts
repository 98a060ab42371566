import { type Kysely, sql } from 'kysely';
import type { Incident } from '../../../bot/domain/incident.js';
import { searchText } from '../../../bot/links/incident-search.js';
import { APPLICATION_ID } from '../../sqlite/open.js';
import { LEGACY_FENCE } from '../legacy.js';
import type { FeatureSchema } from '../migrator.js';
import { execSql } from '../sql-steps.js';
import type { CoreTables } from '../tables.js';

// The core tables' history on both databases. Steps 0001-0003 are the steps 1-3 of the runners before the
// feature migrator, verbatim (test/fixtures/legacy-store holds the schema they left), so a database those
// runners made is recognised and adopted (legacy.ts). APPEND steps; never edit one that has shipped.

const LIST_COLUMNS = (integer: string, key: string, text: string): string => `
  ALTER TABLE incidents ADD COLUMN severity_rank ${integer} NOT NULL DEFAULT 4;
  ALTER TABLE incidents ADD COLUMN handoff_key ${key} NOT NULL DEFAULT '';
  ALTER TABLE incidents ADD COLUMN search_text ${text} NOT NULL DEFAULT '';
  UPDATE incidents SET severity_rank = CASE WHEN severity_known = 0 THEN 4 WHEN severity = 'high' THEN 0
    WHEN severity = 'medium' THEN 1 WHEN severity = 'low' THEN 2 WHEN severity = 'informational' THEN 3 ELSE 4 END,
    handoff_key = CASE WHEN status_known = 1 AND status = 'awaitingAction' THEN last_update_key ELSE '' END;
  CREATE INDEX incidents_urgency ON incidents (customer_id, status_known, status, severity_rank, handoff_key, id);
  CREATE INDEX incidents_search ON incidents (customer_id, last_update_key, id, search_text);
  DROP INDEX incidents_status;
  CREATE INDEX incidents_status ON incidents (customer_id, status_known, status, assignee_kind, severity_known, severity);
`;

/** Adds the list columns, then fills search_text from each stored body, a page of rows at a time. */
async function addListColumns(db: Kysely<unknown>, ddl: string): Promise<void> {
  await execSql(db, ddl);
  const core = db as Kysely<CoreTables>;
  let after = { customer_id: '', id: '' };
  for (;;) {
    const rows = await core
      .selectFrom('incidents')
      .select(['customer_id', 'id', 'body'])
      .where(sql<boolean>`(customer_id, id) > (${after.customer_id}, ${after.id})`)
      .orderBy('customer_id')
      .orderBy('id')
      .limit(500)
      .execute();
    for (const r of rows) {
      const incident = (typeof r.body === 'string' ? JSON.parse(r.body) : r.body) as Incident;
      await core
        .updateTable('incidents')
        .set({ search_text: searchText(incident) })
        .where('customer_id', '=', r.customer_id)
        .where('id', '=', r.id)
        .execute();
    }
    const last = rows.at(-1);
    if (last === undefined) return;
    after = { customer_id: last.customer_id, id: last.id };
  }
}

export const CORE_SCHEMA: FeatureSchema = {
  feature: 'core',
  legacy: { sqlite: 3, postgres: 3 },
  migrations: [
    {
      name: '0001-incidents-cursors-bindings-claims',
      // The old runner marked the file as ours with its first step; so does this one.
      sqlite: `
      PRAGMA application_id = ${APPLICATION_ID};
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
      postgres: `
      CREATE TABLE incidents (
        customer_id     text     NOT NULL,
        id              text     COLLATE "C" NOT NULL,
        status          text     NOT NULL,
        status_known    smallint NOT NULL CHECK (status_known IN (0, 1)),
        severity        text     NOT NULL,
        severity_known  smallint NOT NULL CHECK (severity_known IN (0, 1)),
        assignee_kind   text     NOT NULL CHECK (assignee_kind IN ('experts', 'customer', 'unassigned', 'person')),
        last_update_key text     COLLATE "C" NOT NULL,
        body            text     NOT NULL,
        PRIMARY KEY (customer_id, id)
      );
      CREATE INDEX incidents_newest ON incidents (customer_id, last_update_key DESC, length(id) DESC, id DESC);
      CREATE INDEX incidents_status ON incidents (customer_id, status_known, status, assignee_kind);

      CREATE TABLE cursors (customer_id text PRIMARY KEY, cursor text NOT NULL);

      CREATE TABLE bindings (
        customer_id     text    NOT NULL,
        conversation_id text    COLLATE "C" NOT NULL,
        id              text    NOT NULL UNIQUE,
        conversation    text    NOT NULL,
        events          text    NOT NULL,
        on_call         text,
        created_by      text    NOT NULL,
        created_at      text    COLLATE "C" NOT NULL,
        paused          boolean NOT NULL,
        PRIMARY KEY (customer_id, conversation_id)
      );

      CREATE TABLE claims (key text PRIMARY KEY, expires_at bigint NOT NULL);
      CREATE INDEX claims_expiry ON claims (expires_at);

      CREATE TABLE outbox (
        id          bigserial PRIMARY KEY,
        binding_id  text    NOT NULL,
        customer_id text    NOT NULL,
        incident_id text    NOT NULL,
        kind        text    NOT NULL,
        version     text    NOT NULL,
        payload     text    NOT NULL,
        state       text    NOT NULL CHECK (state IN ('pending', 'done', 'abandoned')),
        attempts    integer NOT NULL DEFAULT 0,
        not_before  bigint  NOT NULL,
        scheduled   boolean NOT NULL DEFAULT false,
        lease_until bigint  NOT NULL DEFAULT 0,
        lease_owner text,
        last_error  text,
        created_at  text    NOT NULL,
        done_at     text,
        UNIQUE (binding_id, incident_id, kind, version)
      );
      CREATE INDEX outbox_due ON outbox (not_before, id) WHERE state = 'pending';
      CREATE INDEX outbox_lane ON outbox (binding_id, incident_id, id) WHERE state = 'pending';

      CREATE TABLE incident_posts (
        binding_id  text NOT NULL,
        customer_id text NOT NULL,
        incident_id text NOT NULL,
        message_id  text NOT NULL,
        posted_at   text NOT NULL,
        PRIMARY KEY (binding_id, incident_id)
      );

      CREATE TABLE installations (
        platform   text NOT NULL,
        key        text NOT NULL,
        body       text NOT NULL,
        updated_at text NOT NULL,
        PRIMARY KEY (platform, key)
      );
    `,
    },
    {
      name: '0002-outbox-posts-installations',
      sqlite: `
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
      postgres: `
      -- Every running bot process; one whose heartbeat is older than its timeout is gone.
      CREATE TABLE instances (
        id           text        PRIMARY KEY,
        started_at   timestamptz NOT NULL DEFAULT now(),
        heartbeat_at timestamptz NOT NULL DEFAULT now()
      );
      -- One instance at a time delivers a binding's rows, so its in-process pacing stays right.
      -- active_at: the owner's last send there; an idle lane is released so lanes spread over instances.
      CREATE TABLE outbox_lanes (
        binding_id text        PRIMARY KEY,
        owner      text        NOT NULL,
        taken_at   timestamptz NOT NULL DEFAULT now(),
        active_at  timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX outbox_lanes_owner ON outbox_lanes (owner);
      -- The poller fence: epoch grows each time an instance takes a customer's polling over; a save must
      -- carry the current epoch, so a paused old leader's late write is refused.
      CREATE TABLE poller_leases (
        customer_id text        PRIMARY KEY,
        epoch       bigint      NOT NULL,
        owner       text        NOT NULL,
        taken_at    timestamptz NOT NULL DEFAULT now()
      );
    `,
    },
    {
      name: '0003-legacy-bookkeeping',
      sqlite: `
      -- Features own their tables and number their steps on their own (see module-migrations.ts), so two
      -- features built side by side never fight over the next core version number.
      CREATE TABLE schema_modules (
        module     TEXT    NOT NULL PRIMARY KEY,
        version    INTEGER NOT NULL,
        updated_at TEXT    NOT NULL
      ) STRICT;
    `,
      postgres: `
      -- Set when the owner handed the customer back to even out polling (not when it died or stalled):
      -- such a customer goes to an instance below its fair share; an orphaned one to whoever sees it first.
      ALTER TABLE poller_leases ADD COLUMN released_at timestamptz;
    `,
    },
    {
      name: '0004-real-types-and-owned-leases',
      // One process per file, but the same outbox code as PostgreSQL: a lease names its owner there too.
      sqlite: `
        ALTER TABLE outbox ADD COLUMN lease_owner TEXT;
        PRAGMA user_version = ${LEGACY_FENCE};
      `,
      // Instants and JSON as the server's own types, converted in place: every row is kept, and a value that
      // does not convert fails the step (its transaction rolls back and the old columns stay as they were).
      postgres: `
        ALTER TABLE incidents ALTER COLUMN body TYPE jsonb USING body::jsonb;
        ALTER TABLE bindings ALTER COLUMN conversation TYPE jsonb USING conversation::jsonb,
          ALTER COLUMN events TYPE jsonb USING events::jsonb,
          ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz;
        ALTER TABLE outbox ALTER COLUMN payload TYPE jsonb USING payload::jsonb,
          ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz,
          ALTER COLUMN done_at TYPE timestamptz USING done_at::timestamptz;
        ALTER TABLE incident_posts ALTER COLUMN posted_at TYPE timestamptz USING posted_at::timestamptz;
        ALTER TABLE installations ALTER COLUMN body TYPE jsonb USING body::jsonb,
          ALTER COLUMN updated_at TYPE timestamptz USING updated_at::timestamptz;
        CREATE TABLE IF NOT EXISTS schema_migrations (
          version integer PRIMARY KEY, description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now());
        CREATE TABLE IF NOT EXISTS schema_modules (
          module text PRIMARY KEY, version integer NOT NULL, updated_at timestamptz NOT NULL DEFAULT now());
        INSERT INTO schema_migrations (version, description)
          VALUES (${LEGACY_FENCE}, 'later steps are recorded in kysely_migration_core');
      `,
    },
    {
      name: '0005-list-columns',
      // Lists rank and search in SQL: severity as a number and the handoff instant as a key, with an index led
      // by them, so a page reads its ten rows instead of parsing every awaiting body; and the searched text.
      // Existing rows: awaiting ones count as handed off at their last update (what the list showed before).
      sqlite: (db) => addListColumns(db, LIST_COLUMNS('INTEGER', 'TEXT', 'TEXT')),
      postgres: (db) => addListColumns(db, LIST_COLUMNS('integer', 'text COLLATE "C"', 'text')),
    },
  ],
};
