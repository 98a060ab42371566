import type { FeatureSchema } from '../migrator.js';

// The questions table's steps. 0001–0002 are the old module runner's steps verbatim (a database it made is
// adopted, see legacy.ts); 0003 turns PostgreSQL's text instants into timestamptz, keeping every row.

export const QUESTIONS_SCHEMA: FeatureSchema = {
  feature: 'questions',
  legacy: { sqlite: 2, postgres: 2 },
  migrations: [
    {
      name: '0001-questions',
      sqlite: `
      CREATE TABLE questions (
        id TEXT PRIMARY KEY,
        customer_id TEXT NOT NULL,
        asker_id TEXT NOT NULL,
        asker_name TEXT NOT NULL,
        topic TEXT NOT NULL,
        text TEXT NOT NULL,
        context TEXT,
        incident_id TEXT,
        state TEXT NOT NULL,
        claimed_by TEXT,
        claimed_by_name TEXT,
        created_at TEXT NOT NULL,
        first_response_at TEXT,
        resolved_at TEXT,
        resolved_by TEXT,
        reopen_count INTEGER NOT NULL DEFAULT 0,
        last_activity_at TEXT NOT NULL
      );
      CREATE INDEX questions_asker ON questions (customer_id, asker_id, created_at);
      CREATE INDEX questions_state ON questions (state, created_at);
      CREATE INDEX questions_activity ON questions (last_activity_at);`,
      postgres: `
      CREATE TABLE questions (
        id                text    COLLATE "C" PRIMARY KEY,
        customer_id       text    NOT NULL,
        asker_id          text    NOT NULL,
        asker_name        text    NOT NULL,
        topic             text    NOT NULL,
        text              text    NOT NULL,
        context           text,
        incident_id       text,
        state             text    NOT NULL,
        claimed_by        text,
        claimed_by_name   text,
        created_at        text    COLLATE "C" NOT NULL,
        first_response_at text,
        resolved_at       text,
        resolved_by       text,
        reopen_count      integer NOT NULL DEFAULT 0,
        last_activity_at  text    COLLATE "C" NOT NULL
      );
      CREATE INDEX questions_asker ON questions (customer_id, asker_id, created_at);
      CREATE INDEX questions_state ON questions (state, created_at);
      CREATE INDEX questions_activity ON questions (last_activity_at);`,
    },
    {
      // A double click or a retried turn finds the one request.
      name: '0002-resend-key',
      sqlite: `ALTER TABLE questions ADD COLUMN request_key TEXT;
      CREATE INDEX questions_request ON questions (customer_id, request_key, created_at);`,
      postgres: `ALTER TABLE questions ADD COLUMN request_key text;
      CREATE INDEX questions_request ON questions (customer_id, request_key, created_at);`,
    },
    {
      // A value that does not convert fails the step: its transaction rolls back, the old columns stay.
      name: '0003-real-types',
      postgres: `
        ALTER TABLE questions ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz,
          ALTER COLUMN first_response_at TYPE timestamptz USING first_response_at::timestamptz,
          ALTER COLUMN resolved_at TYPE timestamptz USING resolved_at::timestamptz,
          ALTER COLUMN last_activity_at TYPE timestamptz USING last_activity_at::timestamptz;
      `,
    },
  ],
};
