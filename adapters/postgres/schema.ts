import type { PgMigration } from './migrations.js';

// The core schema's history on PostgreSQL. APPEND steps; never edit one that has shipped. Columns mirror the
// SQLite schema (adapters/sqlite/migrations.ts) so the same row mapping and view SQL serve both; text that
// is ordered (instant keys, ids) uses the "C" collation so it sorts by bytes, exactly like SQLite.

export const CORE_MIGRATIONS: readonly PgMigration[] = [
  {
    version: 1,
    description: 'incidents, cursors, bindings, claims, outbox, posts, installations',
    up: `
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
    version: 2,
    description: 'scale-out: instances with heartbeats, outbox lane owners, poller fences',
    up: `
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
    version: 3,
    description: 'scale-out: poller leadership handed back for a fair share',
    up: `
      -- Set when the owner handed the customer back to even out polling (not when it died or stalled):
      -- such a customer goes to an instance below its fair share; an orphaned one to whoever sees it first.
      ALTER TABLE poller_leases ADD COLUMN released_at timestamptz;
    `,
  },
];
