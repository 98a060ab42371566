import { int, key, type Rows, table, text, timestamp } from '../declare.js';
import type { FeatureSchema } from '../migrator.js';

// The questions table, declared once (../declare.ts). The step names are those of the builds that still
// counted steps, recorded on every database so those builds open it. APPEND named steps that move data.

export const QUESTIONS_TABLES = {
  questions: table(
    {
      id: key().looseOnSqlite(),
      customer_id: text(),
      asker_id: text(),
      asker_name: text(),
      topic: text(),
      text: text(),
      context: text().nullable(),
      incident_id: text().nullable(),
      state: text(),
      claimed_by: text().nullable(),
      claimed_by_name: text().nullable(),
      created_at: timestamp(),
      first_response_at: timestamp().nullable(),
      resolved_at: timestamp().nullable(),
      resolved_by: text().nullable(),
      reopen_count: int().default(0),
      last_activity_at: timestamp(),
      /** A double click or a retried turn finds the one request. */
      request_key: text().nullable(),
    },
    {
      primaryKey: 'id',
      indexes: {
        questions_asker: 'customer_id, asker_id, created_at',
        questions_state: 'state, created_at',
        questions_activity: 'last_activity_at',
        questions_request: 'customer_id, request_key, created_at',
      },
    },
  ),
};

export type QuestionsTables = Rows<typeof QUESTIONS_TABLES>;
export type QuestionsTable = QuestionsTables['questions'];

export const QUESTIONS_SCHEMA: FeatureSchema = {
  feature: 'questions',
  tables: QUESTIONS_TABLES,
  legacy: { sqlite: 2, postgres: 2 },
  migrations: [{ name: '0001-questions' }, { name: '0002-resend-key' }, { name: '0003-real-types' }],
};
