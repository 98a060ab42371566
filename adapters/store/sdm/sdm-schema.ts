import { int, json, key, type Rows, smallint, table, text, timestamp } from '../declare.js';
import type { FeatureSchema } from '../migrator.js';

// The SDM feature's tables, declared once (../declare.ts). The step names are those of the builds that still
// counted steps, recorded on every database so those builds open it. APPEND named steps that move data.

const SDM_TABLES = {
  /** The source's own lastUpdateDateTime values, kept as text exactly as it sent them. */
  sdm_timelines: table(
    {
      customer_id: text(),
      incident_id: text(),
      experts_started_at: text().nullable(),
      handed_off_at: text().nullable(),
      resolved_at: text().nullable(),
      inferred: smallint().default(0),
    },
    { primaryKey: 'customer_id, incident_id' },
  ),
  sdm_reports: table(
    { customer_id: text(), id: text(), created_at: timestamp(), figures: json() },
    { primaryKey: 'customer_id, id' },
  ),
  sdm_checklist_items: table(
    {
      customer_id: text(),
      item_key: key(),
      kind: text(),
      title: text(),
      detail: text(),
      priority: int(),
      experts_note: text(),
      owner: text().nullable(),
      /** YYYY-MM-DD, a day rather than an instant. */
      due_date: text().nullable(),
      state: text(),
      note: text().nullable(),
      updated_by: text().nullable(),
      updated_at: timestamp().nullable(),
    },
    { primaryKey: 'customer_id, item_key' },
  ),
  sdm_checkins: table(
    {
      customer_id: text(),
      id: text(),
      number: int(),
      started_at: timestamp(),
      started_by: text(),
      snapshot: json(),
    },
    { primaryKey: 'customer_id, id', unique: ['customer_id, number'] },
  ),
  /**
   * One row per customer, locked by the writes that must each see the one before: two check-in starts take
   * turns (numbers never collide, an open check-in is never doubled); a double contact send is recorded once.
   */
  sdm_customer_locks: table({ customer_id: text() }, { primaryKey: 'customer_id' }),
  sdm_checkin_posts: table(
    {
      customer_id: text(),
      checkin_id: text(),
      conversation_id: key(),
      conversation: json(),
      message_id: text(),
    },
    { primaryKey: 'customer_id, checkin_id, conversation_id' },
  ),
  sdm_contact_requests: table(
    {
      customer_id: text(),
      id: key(),
      kind: text(),
      severity: text().nullable(),
      text: text(),
      preferred_date: text().nullable(),
      from_user: text(),
      from_name: text(),
      created_at: timestamp(),
      fingerprint: text().nullable(),
      conversation: json().nullable(),
      delivered_at: timestamp().nullable(),
    },
    {
      primaryKey: 'customer_id, id',
      indexes: {
        sdm_contact_fingerprint: 'customer_id, fingerprint, created_at',
        sdm_contact_created: 'created_at',
      },
    },
  ),
  sdm_report_posts: table(
    {
      customer_id: text(),
      month: text(),
      binding_id: text(),
      claimed_at: timestamp(),
      posted_at: timestamp().nullable(),
    },
    { primaryKey: 'customer_id, month, binding_id' },
  ),
};

export type SdmTables = Rows<typeof SDM_TABLES>;

export const SDM_SCHEMA: FeatureSchema = {
  feature: 'sdm',
  tables: SDM_TABLES,
  legacy: { sqlite: 3, postgres: 3 },
  migrations: [
    { name: '0001-timelines-reports-checklist-checkins-contacts' },
    { name: '0002-checkin-card-copies' },
    { name: '0003-contact-dedup-retry-purge-and-report-posts' },
    { name: '0004-customer-locks' },
    { name: '0005-real-types' },
  ],
};
