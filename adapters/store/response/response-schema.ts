import { int, key, type Rows, table, text, timestamp } from '../declare.js';
import type { FeatureSchema } from '../migrator.js';

// Guided response's tables, declared once (../declare.ts). The step names are those of the builds that still
// counted steps, recorded on every database so those builds open it. APPEND named steps that move data.

const RESPONSE_TABLES = {
  response_actions: table(
    {
      customer_id: key(),
      incident_id: key(),
      action_id: key(),
      state: text(),
      by_name: text(),
      at: timestamp(),
      note: text().nullable(),
      remote_id: text().nullable(),
      version: int(),
    },
    { primaryKey: 'customer_id, incident_id, action_id', indexes: { response_actions_running: 'state, at' } },
  ),
  response_audit: table(
    {
      id: key().looseOnSqlite(),
      customer_id: text(),
      incident_id: text(),
      action_id: text(),
      event: text(),
      actor: text(),
      actor_name: text(),
      at: timestamp(),
      text: text(),
      commented_at: timestamp().nullable(),
      comment_attempts: int().default(0),
    },
    {
      primaryKey: 'id',
      indexes: {
        response_audit_incident: 'customer_id, incident_id, at',
        response_audit_uncommented: {
          sqlite: 'commented_at, at',
          postgres: { on: 'at', where: 'commented_at IS NULL' },
        },
      },
    },
  ),
};

export type ResponseTables = Rows<typeof RESPONSE_TABLES>;

export const RESPONSE_SCHEMA: FeatureSchema = {
  feature: 'response',
  tables: RESPONSE_TABLES,
  legacy: { sqlite: 1, postgres: 1 },
  migrations: [{ name: '0001-action-records-and-audit-log' }, { name: '0002-real-types' }],
};
