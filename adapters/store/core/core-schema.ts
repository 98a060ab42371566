import { bool, flag, int, int8, json, key, type Rows, serial, table, text, timestamp } from '../declare.js';
import type { FeatureSchema } from '../migrator.js';
import { fillListColumns } from './list-columns-step.js';

// The core tables, declared once (../declare.ts): the DDL on either database and the row types Kysely sees.
// Values go in and come out through the Dialect codecs (../dialect.ts), never by hand. A feature declares its
// own tables in its own folder and widens the handle with `db.withTables<ItsTables>()`. The step names below
// are those of the builds that still counted steps, recorded on every database so those builds open it;
// APPEND named steps that move data.

export const CORE_TABLES = {
  // One row per (customer, Graph incident id): Graph ids are per tenant and can collide across customers.
  // The indexed columns serve listIncidents/countByView; body is the whole Incident as canonical JSON.
  incidents: table(
    {
      customer_id: text(),
      id: key(),
      status: text(),
      status_known: flag(),
      severity: text(),
      severity_known: flag(),
      assignee_kind: text().check("IN ('experts', 'customer', 'unassigned', 'person')"),
      /** instantKey(lastUpdateDateTime): sorts as the instant. */
      last_update_key: key(),
      body: json(),
      /** 0 high … 3 informational, 4 anything else: the awaiting list ranks without reading bodies. */
      severity_rank: int().default(4),
      /** instantKey of when it last moved to awaitingAction; '' when it is not awaiting the customer. */
      handoff_key: key().default(''),
      /** What `find` and the compose box search, lower case (searchText). */
      search_text: text().default(''),
    },
    {
      primaryKey: 'customer_id, id',
      strict: true,
      // Each list is answered from an index led by what it filters and orders by; the page's bodies come after.
      indexes: {
        incidents_newest: 'customer_id, last_update_key DESC, length(id) DESC, id DESC',
        incidents_counts: 'customer_id, status_known, status, assignee_kind, severity_known, severity',
        incidents_urgency: 'customer_id, status_known, status, severity_rank, handoff_key, id',
        incidents_search: 'customer_id, last_update_key, id, search_text',
      },
    },
  ),
  cursors: table({ customer_id: text(), cursor: text() }, { primaryKey: 'customer_id', strict: true }),
  bindings: table(
    {
      customer_id: text(),
      conversation_id: key(),
      id: text(),
      conversation: json(),
      events: json(),
      on_call: text().nullable(),
      created_by: text(),
      created_at: timestamp(),
      paused: bool().check('IN (0, 1)', 'sqlite'),
    },
    {
      primaryKey: 'customer_id, conversation_id',
      strict: true,
      // Binding ids are referenced by the outbox: unique on their own (made differently on each database).
      unique: [{ postgres: 'id' }],
      indexes: { bindings_by_id: { sqlite: { on: 'id', unique: true } } },
    },
  ),
  claims: table(
    { key: text(), expires_at: int8() },
    { primaryKey: 'key', strict: true, indexes: { claims_expiry: 'expires_at' } },
  ),
  // The durable outbox: written in the same transaction as the incident version that caused it.
  outbox: table(
    {
      id: serial(),
      binding_id: text(),
      customer_id: text(),
      incident_id: text(),
      kind: text(),
      version: text(),
      payload: json(),
      state: text<'pending' | 'done' | 'abandoned'>().check("IN ('pending', 'done', 'abandoned')"),
      attempts: int().default(0),
      not_before: int8(),
      /** Reminders: never block the lane. */
      scheduled: bool().default(false).check('IN (0, 1)', 'sqlite'),
      /** A crashed dispatcher's lease simply expires. */
      lease_until: int8().default(0),
      lease_owner: text().nullable(),
      last_error: text().nullable(),
      created_at: timestamp(),
      done_at: timestamp().nullable(),
    },
    {
      strict: true,
      unique: ['binding_id, incident_id, kind, version'],
      indexes: {
        outbox_due: { on: 'not_before, id', where: "state = 'pending'" },
        outbox_lane: { on: 'binding_id, incident_id, id', where: "state = 'pending'" },
      },
    },
  ),
  incident_posts: table(
    {
      binding_id: text(),
      customer_id: text(),
      incident_id: text(),
      message_id: text(),
      posted_at: timestamp(),
    },
    { primaryKey: 'binding_id, incident_id', strict: true },
  ),
  installations: table(
    { platform: text(), key: text(), body: json(), updated_at: timestamp() },
    { primaryKey: 'platform, key', strict: true },
  ),
};

/** What only a shared PostgreSQL database needs (adapters/postgres queries them itself). */
export const POSTGRES_TABLES = {
  // Every running bot process; one whose heartbeat is older than its timeout is gone.
  instances: table(
    {
      id: text(),
      started_at: timestamp().default({ sql: 'now()' }),
      heartbeat_at: timestamp().default({ sql: 'now()' }),
    },
    { primaryKey: 'id', only: 'postgres' },
  ),
  // One instance at a time delivers a binding's rows; an idle lane is released so lanes spread out.
  outbox_lanes: table(
    {
      binding_id: text(),
      owner: text(),
      taken_at: timestamp().default({ sql: 'now()' }),
      active_at: timestamp().default({ sql: 'now()' }),
    },
    { primaryKey: 'binding_id', only: 'postgres', indexes: { outbox_lanes_owner: 'owner' } },
  ),
  // The poller fence: a save must carry the current epoch, so a paused old leader's late write is refused.
  // released_at: set when the owner handed the customer back to even out polling.
  poller_leases: table(
    {
      customer_id: text(),
      epoch: int8(),
      owner: text(),
      taken_at: timestamp().default({ sql: 'now()' }),
      released_at: timestamp().nullable(),
    },
    { primaryKey: 'customer_id', only: 'postgres' },
  ),
};

/** The tables every deployment has. */
export type CoreTables = Rows<typeof CORE_TABLES>;
export type IncidentsTable = CoreTables['incidents'];
export type CursorsTable = CoreTables['cursors'];
export type BindingsTable = CoreTables['bindings'];
export type ClaimsTable = CoreTables['claims'];
export type OutboxTable = CoreTables['outbox'];
export type IncidentPostsTable = CoreTables['incident_posts'];
export type InstallationsTable = CoreTables['installations'];

export const CORE_SCHEMA: FeatureSchema = {
  feature: 'core',
  tables: { ...CORE_TABLES, ...POSTGRES_TABLES },
  legacy: { sqlite: 3, postgres: 3 },
  migrations: [
    { name: '0001-incidents-cursors-bindings-claims' },
    { name: '0002-outbox-posts-installations' },
    { name: '0003-legacy-bookkeeping' },
    { name: '0004-real-types-and-owned-leases' },
    { name: '0005-list-columns', up: fillListColumns },
  ],
};
