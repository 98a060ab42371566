import type { ColumnType } from 'kysely';
import type { DbTimestamp } from '../dialect.js';
import type { FeatureSchema } from '../migrator.js';
import type { Json, Timestamp } from '../tables.js';

// The SDM feature's tables on both databases. Steps 0001-0003 are the old module 'sdm' steps 1-3 verbatim
// (adapters/sqlite/sdm-*.ts and adapters/postgres/sdm-*.ts as they were), so a database those runners made is
// adopted. APPEND steps; never edit one that has shipped.

type NullableTimestamp = ColumnType<DbTimestamp | null, DbTimestamp | null | undefined, DbTimestamp | null>;

export type SdmTables = {
  /** The source's own lastUpdateDateTime values, kept as text exactly as it sent them. */
  sdm_timelines: {
    customer_id: string;
    incident_id: string;
    experts_started_at: string | null;
    handed_off_at: string | null;
    resolved_at: string | null;
    inferred: number;
  };
  sdm_reports: { customer_id: string; id: string; created_at: Timestamp; figures: Json };
  sdm_checklist_items: {
    customer_id: string;
    item_key: string;
    kind: string;
    title: string;
    detail: string;
    priority: number;
    experts_note: string;
    owner: string | null;
    /** YYYY-MM-DD, a day rather than an instant. */
    due_date: string | null;
    state: string;
    note: string | null;
    updated_by: string | null;
    updated_at: NullableTimestamp;
  };
  sdm_checkins: {
    customer_id: string;
    id: string;
    number: number;
    started_at: Timestamp;
    started_by: string;
    snapshot: Json;
  };
  /** One row per customer, locked by the writes that must each see the one before (check-in starts, contacts). */
  sdm_customer_locks: { customer_id: string };
  sdm_checkin_posts: {
    customer_id: string;
    checkin_id: string;
    conversation_id: string;
    conversation: Json;
    message_id: string;
  };
  sdm_contact_requests: {
    customer_id: string;
    id: string;
    kind: string;
    severity: string | null;
    text: string;
    preferred_date: string | null;
    from_user: string;
    from_name: string;
    created_at: Timestamp;
    fingerprint: string | null;
    conversation: ColumnType<string | object | null, string | null, string | null>;
    delivered_at: NullableTimestamp;
  };
  sdm_report_posts: {
    customer_id: string;
    month: string;
    binding_id: string;
    claimed_at: Timestamp;
    posted_at: NullableTimestamp;
  };
};

export const SDM_SCHEMA: FeatureSchema = {
  feature: 'sdm',
  legacy: { sqlite: 3, postgres: 3 },
  migrations: [
    {
      name: '0001-timelines-reports-checklist-checkins-contacts',
      sqlite: `
      CREATE TABLE sdm_timelines (
        customer_id TEXT NOT NULL, incident_id TEXT NOT NULL,
        experts_started_at TEXT, handed_off_at TEXT, resolved_at TEXT, inferred INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (customer_id, incident_id)
      );
      CREATE TABLE sdm_reports (
        customer_id TEXT NOT NULL, id TEXT NOT NULL, created_at TEXT NOT NULL, figures TEXT NOT NULL,
        PRIMARY KEY (customer_id, id)
      );
      CREATE TABLE sdm_checklist_items (
        customer_id TEXT NOT NULL, item_key TEXT NOT NULL, kind TEXT NOT NULL, title TEXT NOT NULL,
        detail TEXT NOT NULL, priority INTEGER NOT NULL, experts_note TEXT NOT NULL,
        owner TEXT, due_date TEXT, state TEXT NOT NULL, note TEXT, updated_by TEXT, updated_at TEXT,
        PRIMARY KEY (customer_id, item_key)
      );
      CREATE TABLE sdm_checkins (
        customer_id TEXT NOT NULL, id TEXT NOT NULL, number INTEGER NOT NULL, started_at TEXT NOT NULL,
        started_by TEXT NOT NULL, snapshot TEXT NOT NULL,
        PRIMARY KEY (customer_id, id), UNIQUE (customer_id, number)
      );
      CREATE TABLE sdm_contact_requests (
        customer_id TEXT NOT NULL, id TEXT NOT NULL, kind TEXT NOT NULL, severity TEXT, text TEXT NOT NULL,
        preferred_date TEXT, from_user TEXT NOT NULL, from_name TEXT NOT NULL, created_at TEXT NOT NULL,
        PRIMARY KEY (customer_id, id)
      );
    `,
      postgres: `
        CREATE TABLE sdm_timelines (
          customer_id text NOT NULL, incident_id text NOT NULL,
          experts_started_at text, handed_off_at text, resolved_at text, inferred smallint NOT NULL DEFAULT 0,
          PRIMARY KEY (customer_id, incident_id)
        );
        CREATE TABLE sdm_reports (
          customer_id text NOT NULL, id text NOT NULL, created_at text COLLATE "C" NOT NULL, figures text NOT NULL,
          PRIMARY KEY (customer_id, id)
        );
        CREATE TABLE sdm_checklist_items (
          customer_id text NOT NULL, item_key text COLLATE "C" NOT NULL, kind text NOT NULL, title text NOT NULL,
          detail text NOT NULL, priority integer NOT NULL, experts_note text NOT NULL,
          owner text, due_date text, state text NOT NULL, note text, updated_by text, updated_at text,
          PRIMARY KEY (customer_id, item_key)
        );
        CREATE TABLE sdm_checkins (
          customer_id text NOT NULL, id text NOT NULL, number integer NOT NULL, started_at text NOT NULL,
          started_by text NOT NULL, snapshot text NOT NULL,
          PRIMARY KEY (customer_id, id), UNIQUE (customer_id, number)
        );
        CREATE TABLE sdm_contact_requests (
          customer_id text NOT NULL, id text COLLATE "C" NOT NULL, kind text NOT NULL, severity text,
          text text NOT NULL, preferred_date text, from_user text NOT NULL, from_name text NOT NULL,
          created_at text COLLATE "C" NOT NULL,
          PRIMARY KEY (customer_id, id)
        );`,
    },
    {
      name: '0002-checkin-card-copies',
      sqlite: `
      CREATE TABLE sdm_checkin_posts (
        customer_id TEXT NOT NULL, checkin_id TEXT NOT NULL, conversation_id TEXT NOT NULL,
        conversation TEXT NOT NULL, message_id TEXT NOT NULL,
        PRIMARY KEY (customer_id, checkin_id, conversation_id)
      );
    `,
      postgres: `
        CREATE TABLE sdm_checkin_posts (
          customer_id text NOT NULL, checkin_id text NOT NULL, conversation_id text COLLATE "C" NOT NULL,
          conversation text NOT NULL, message_id text NOT NULL,
          PRIMARY KEY (customer_id, checkin_id, conversation_id)
        );`,
    },
    {
      name: '0003-contact-dedup-retry-purge-and-report-posts',
      sqlite: `
  ALTER TABLE sdm_contact_requests ADD COLUMN fingerprint TEXT;
  ALTER TABLE sdm_contact_requests ADD COLUMN conversation TEXT;
  ALTER TABLE sdm_contact_requests ADD COLUMN delivered_at TEXT;
  CREATE INDEX sdm_contact_fingerprint ON sdm_contact_requests (customer_id, fingerprint, created_at);
  CREATE INDEX sdm_contact_created ON sdm_contact_requests (created_at);

  CREATE TABLE sdm_report_posts (
    customer_id TEXT NOT NULL, month TEXT NOT NULL, binding_id TEXT NOT NULL,
    claimed_at TEXT NOT NULL, posted_at TEXT,
    PRIMARY KEY (customer_id, month, binding_id)
  );
`,
      postgres: `
    ALTER TABLE sdm_contact_requests ADD COLUMN fingerprint text;
    ALTER TABLE sdm_contact_requests ADD COLUMN conversation text;
    ALTER TABLE sdm_contact_requests ADD COLUMN delivered_at text;
    CREATE INDEX sdm_contact_fingerprint ON sdm_contact_requests (customer_id, fingerprint, created_at);
    CREATE INDEX sdm_contact_created ON sdm_contact_requests (created_at);
  CREATE TABLE sdm_report_posts (
    customer_id text NOT NULL, month text NOT NULL, binding_id text NOT NULL,
    claimed_at text COLLATE "C" NOT NULL, posted_at text,
    PRIMARY KEY (customer_id, month, binding_id)
  );`,
    },
    {
      name: '0004-customer-locks',
      // Two SDMs (or two instances) starting a customer's check-in at once take turns on this row, so the
      // second sees the first one's check-in: numbers never collide and an open check-in is never doubled.
      // Recording a contact request takes it too, so a double send is recorded once.
      sqlite: 'CREATE TABLE sdm_customer_locks (customer_id TEXT NOT NULL PRIMARY KEY);',
      postgres: 'CREATE TABLE sdm_customer_locks (customer_id text NOT NULL PRIMARY KEY);',
    },
    {
      name: '0005-real-types',
      // Instants the bot stamped and JSON it wrote become the server's own types, converted in place (a value
      // that did not convert would fail the step and roll it back). Timelines keep the source's text.
      postgres: `
        ALTER TABLE sdm_reports ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz,
          ALTER COLUMN figures TYPE jsonb USING figures::jsonb;
        ALTER TABLE sdm_checklist_items ALTER COLUMN updated_at TYPE timestamptz USING updated_at::timestamptz;
        ALTER TABLE sdm_checkins ALTER COLUMN started_at TYPE timestamptz USING started_at::timestamptz,
          ALTER COLUMN snapshot TYPE jsonb USING snapshot::jsonb;
        ALTER TABLE sdm_checkin_posts ALTER COLUMN conversation TYPE jsonb USING conversation::jsonb;
        ALTER TABLE sdm_contact_requests ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz,
          ALTER COLUMN conversation TYPE jsonb USING conversation::jsonb,
          ALTER COLUMN delivered_at TYPE timestamptz USING delivered_at::timestamptz;
        ALTER TABLE sdm_report_posts ALTER COLUMN claimed_at TYPE timestamptz USING claimed_at::timestamptz,
          ALTER COLUMN posted_at TYPE timestamptz USING posted_at::timestamptz;
      `,
    },
  ],
};
