import { int, json, type Rows, table, text, timestamp } from '../declare.js';
import type { FeatureSchema } from '../migrator.js';

// "Was this you?" questions, declared once (../declare.ts). The step names are those of the builds that still
// counted steps, recorded on every database so those builds open it. APPEND named steps that move data.

const USER_CHECK_TABLES = {
  user_checks: table(
    {
      id: text(),
      customer_id: text(),
      incident_id: text(),
      upn: text(),
      /** upn in lower case: the partial unique index keeps one open question per person and incident. */
      upn_key: text(),
      platform: text(),
      target_user_id: text().nullable(),
      dm: json().nullable(),
      dm_message_id: text().nullable(),
      seen: text(),
      requester_id: text(),
      requester: json(),
      state: text(),
      answer: text().nullable(),
      note: text().nullable(),
      answered_at: timestamp().nullable(),
      reason: text().nullable(),
      created_at: timestamp(),
      reminded_at: timestamp().nullable(),
      escalated_at: timestamp().nullable(),
      comment: text().default('none'),
      comment_attempts: int().default(0),
    },
    {
      primaryKey: 'id',
      indexes: {
        user_checks_open: { on: 'customer_id, incident_id, upn_key', where: "state = 'asked'", unique: true },
        user_checks_incident: 'customer_id, incident_id',
        user_checks_asked: 'state, created_at',
        user_checks_comment: 'comment, answered_at',
      },
    },
  ),
};

export type UserCheckTables = Rows<typeof USER_CHECK_TABLES>;

export const USER_CHECKS_SCHEMA: FeatureSchema = {
  feature: 'user_checks',
  tables: USER_CHECK_TABLES,
  legacy: { sqlite: 1, postgres: 1 },
  migrations: [{ name: '0001-user-checks' }, { name: '0002-real-types' }],
};
