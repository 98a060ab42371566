import type { ColumnType } from 'kysely';
import type { DbTimestamp } from '../dialect.js';
import type { FeatureSchema } from '../migrator.js';
import type { Timestamp } from '../tables.js';

// Guided response's tables on both databases. Step 0001 is the old module 'response' step 1 verbatim (SQLite:
// adapters/sqlite/response-store.ts, PostgreSQL: adapters/postgres/response-store.ts as they were), so a
// database those runners made is adopted. APPEND steps; never edit one that has shipped.

export type ResponseTables = {
  response_actions: {
    customer_id: string;
    incident_id: string;
    action_id: string;
    state: string;
    by_name: string;
    at: Timestamp;
    note: string | null;
    remote_id: string | null;
    version: number;
  };
  response_audit: {
    id: string;
    customer_id: string;
    incident_id: string;
    action_id: string;
    event: string;
    actor: string;
    actor_name: string;
    at: Timestamp;
    text: string;
    commented_at: ColumnType<DbTimestamp | null, DbTimestamp | null | undefined, DbTimestamp | null>;
    comment_attempts: ColumnType<number, number | undefined, number>;
  };
};

export const RESPONSE_SCHEMA: FeatureSchema = {
  feature: 'response',
  legacy: { sqlite: 1, postgres: 1 },
  migrations: [
    {
      name: '0001-action-records-and-audit-log',
      sqlite: `
      CREATE TABLE response_actions (
        customer_id TEXT NOT NULL,
        incident_id TEXT NOT NULL,
        action_id TEXT NOT NULL,
        state TEXT NOT NULL,
        by_name TEXT NOT NULL,
        at TEXT NOT NULL,
        note TEXT,
        remote_id TEXT,
        version INTEGER NOT NULL,
        PRIMARY KEY (customer_id, incident_id, action_id)
      );
      CREATE INDEX response_actions_running ON response_actions (state, at);
      CREATE TABLE response_audit (
        id TEXT PRIMARY KEY,
        customer_id TEXT NOT NULL,
        incident_id TEXT NOT NULL,
        action_id TEXT NOT NULL,
        event TEXT NOT NULL,
        actor TEXT NOT NULL,
        actor_name TEXT NOT NULL,
        at TEXT NOT NULL,
        text TEXT NOT NULL,
        commented_at TEXT,
        comment_attempts INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX response_audit_incident ON response_audit (customer_id, incident_id, at);
      CREATE INDEX response_audit_uncommented ON response_audit (commented_at, at);
    `,
      postgres: `
        CREATE TABLE response_actions (
          customer_id text COLLATE "C" NOT NULL,
          incident_id text COLLATE "C" NOT NULL,
          action_id text COLLATE "C" NOT NULL,
          state text NOT NULL,
          by_name text NOT NULL,
          at text COLLATE "C" NOT NULL,
          note text,
          remote_id text,
          version integer NOT NULL,
          PRIMARY KEY (customer_id, incident_id, action_id)
        );
        CREATE INDEX response_actions_running ON response_actions (state, at);
        CREATE TABLE response_audit (
          id text COLLATE "C" PRIMARY KEY,
          customer_id text NOT NULL,
          incident_id text NOT NULL,
          action_id text NOT NULL,
          event text NOT NULL,
          actor text NOT NULL,
          actor_name text NOT NULL,
          at text COLLATE "C" NOT NULL,
          text text NOT NULL,
          commented_at text,
          comment_attempts integer NOT NULL DEFAULT 0
        );
        CREATE INDEX response_audit_incident ON response_audit (customer_id, incident_id, at);
        CREATE INDEX response_audit_uncommented ON response_audit (at) WHERE commented_at IS NULL;`,
    },
    {
      name: '0002-real-types',
      // The bot's own clock stamps these, so every value converts; one that did not would fail the step and
      // roll it back, leaving the text columns as they were. Indexes on the columns are rebuilt in place.
      postgres: `
        ALTER TABLE response_actions ALTER COLUMN at TYPE timestamptz USING at::timestamptz;
        ALTER TABLE response_audit ALTER COLUMN at TYPE timestamptz USING at::timestamptz,
          ALTER COLUMN commented_at TYPE timestamptz USING commented_at::timestamptz;
      `,
    },
  ],
};
