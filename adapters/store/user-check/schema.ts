import type { ColumnType } from 'kysely';
import type { DbJson, DbTimestamp } from '../dialect.js';
import type { FeatureSchema } from '../migrator.js';
import type { Json, Timestamp } from '../tables.js';

// "Was this you?" questions on both databases. Step 0001 is the old module 'user_checks' step 1 verbatim (the
// same text on SQLite and PostgreSQL, as the old per-backend stores wrote it), so a database the
// old runner made is adopted; 0002 turns PostgreSQL's text instants and JSON into timestamptz and jsonb in place.
// APPEND steps; never edit one that has shipped.

/** A column the insert may leave out (null or its default). */
type Later<T> = ColumnType<T, T | undefined, T>;

export type UserCheckTables = {
  user_checks: {
    id: string;
    customer_id: string;
    incident_id: string;
    upn: string;
    /** upn in lower case: the partial unique index keeps one open question per person and incident. */
    upn_key: string;
    platform: string;
    target_user_id: string | null;
    dm: ColumnType<DbJson | null, string | null, string | null>;
    dm_message_id: Later<string | null>;
    seen: string;
    requester_id: string;
    requester: Json;
    state: string;
    answer: Later<string | null>;
    note: Later<string | null>;
    answered_at: Later<DbTimestamp | null>;
    reason: Later<string | null>;
    created_at: Timestamp;
    reminded_at: Later<DbTimestamp | null>;
    escalated_at: Later<DbTimestamp | null>;
    comment: Later<string>;
    comment_attempts: Later<number>;
  };
};

const V1 = `
  CREATE TABLE user_checks (
    id               text NOT NULL PRIMARY KEY,
    customer_id      text NOT NULL,
    incident_id      text NOT NULL,
    upn              text NOT NULL,
    upn_key          text NOT NULL,
    platform         text NOT NULL,
    target_user_id   text,
    dm               text,
    dm_message_id    text,
    seen             text NOT NULL,
    requester_id     text NOT NULL,
    requester        text NOT NULL,
    state            text NOT NULL,
    answer           text,
    note             text,
    answered_at      text,
    reason           text,
    created_at       text NOT NULL,
    reminded_at      text,
    escalated_at     text,
    comment          text NOT NULL DEFAULT 'none',
    comment_attempts integer NOT NULL DEFAULT 0
  );
  CREATE UNIQUE INDEX user_checks_open ON user_checks (customer_id, incident_id, upn_key) WHERE state = 'asked';
  CREATE INDEX user_checks_incident ON user_checks (customer_id, incident_id);
  CREATE INDEX user_checks_asked ON user_checks (state, created_at);
  CREATE INDEX user_checks_comment ON user_checks (comment, answered_at);`;

export const USER_CHECKS_SCHEMA: FeatureSchema = {
  feature: 'user_checks',
  legacy: { sqlite: 1, postgres: 1 },
  migrations: [
    { name: '0001-user-checks', sqlite: V1, postgres: V1 },
    {
      name: '0002-real-types',
      // The bot's clock stamps the instants and the store wrote the JSON, so every value converts; one that
      // did not would fail the step and roll it back, the text columns as they were. Indexes are rebuilt.
      postgres: `
        ALTER TABLE user_checks ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz,
          ALTER COLUMN answered_at TYPE timestamptz USING answered_at::timestamptz,
          ALTER COLUMN reminded_at TYPE timestamptz USING reminded_at::timestamptz,
          ALTER COLUMN escalated_at TYPE timestamptz USING escalated_at::timestamptz,
          ALTER COLUMN dm TYPE jsonb USING dm::jsonb,
          ALTER COLUMN requester TYPE jsonb USING requester::jsonb;
      `,
    },
  ],
};
