import type { ColumnType, Generated } from 'kysely';
import type { DbBool, DbInt, DbJson, DbTimestamp } from './dialect.js';

// The core tables as Kysely sees them. Column types are the union of what either driver returns; values go
// in and come out through the Dialect codecs (dialect.ts), never by hand. A feature declares its own tables
// in its own folder and widens the handle with `db.withTables<ItsTables>()`: no shared file to edit.

/** A timestamp column: written from ISO text or a Date, read back through dialect.readTimestamp. */
export type Timestamp = ColumnType<DbTimestamp, DbTimestamp, DbTimestamp>;
/** A json column: written as text (dialect.json), read back through dialect.readJson. */
export type Json = ColumnType<DbJson, string, string>;
/** A boolean column (0/1 in SQLite). */
export type Bool = ColumnType<DbBool, DbBool, DbBool>;
/** A 64-bit integer column (epoch milliseconds, counters). */
export type Int8 = ColumnType<DbInt, number, number>;

export interface IncidentsTable {
  customer_id: string;
  id: string;
  status: string;
  status_known: number;
  severity: string;
  severity_known: number;
  assignee_kind: string;
  last_update_key: string;
  severity_rank: ColumnType<number, number | undefined, number>;
  handoff_key: ColumnType<string, string | undefined, string>;
  search_text: ColumnType<string, string | undefined, string>;
  body: Json;
}

export interface CursorsTable {
  customer_id: string;
  cursor: string;
}

export interface BindingsTable {
  customer_id: string;
  conversation_id: string;
  id: string;
  conversation: Json;
  events: Json;
  on_call: string | null;
  created_by: string;
  created_at: Timestamp;
  paused: Bool;
}

export interface ClaimsTable {
  key: string;
  expires_at: Int8;
}

export interface OutboxTable {
  id: Generated<DbInt>;
  binding_id: string;
  customer_id: string;
  incident_id: string;
  kind: string;
  version: string;
  payload: Json;
  state: 'pending' | 'done' | 'abandoned';
  attempts: ColumnType<number, number | undefined, number>;
  not_before: Int8;
  scheduled: Bool;
  lease_until: ColumnType<DbInt, number | undefined, number>;
  lease_owner: string | null;
  last_error: string | null;
  created_at: Timestamp;
  done_at: ColumnType<DbTimestamp | null, DbTimestamp | null, DbTimestamp | null>;
}

export interface IncidentPostsTable {
  binding_id: string;
  customer_id: string;
  incident_id: string;
  message_id: string;
  posted_at: Timestamp;
}

export interface InstallationsTable {
  platform: string;
  key: string;
  body: Json;
  updated_at: Timestamp;
}

/** The tables every deployment has (PostgreSQL adds instances, lanes and poller leases: adapters/postgres). */
export interface CoreTables {
  incidents: IncidentsTable;
  cursors: CursorsTable;
  bindings: BindingsTable;
  claims: ClaimsTable;
  outbox: OutboxTable;
  incident_posts: IncidentPostsTable;
  installations: InstallationsTable;
}
